namespace Bun.Pipeline.Targets;

/// <summary>Everything the planner and executor know about one target: plain data, built without reflection in tests.</summary>
public sealed record TargetSpec
{
    public required string Name { get; init; }
    public string? Description { get; init; }
    public IReadOnlyList<Edge> Edges { get; init; } = [];
    public IReadOnlyList<Condition> StaticConditions { get; init; } = [];
    public IReadOnlyList<Condition> DynamicConditions { get; init; } = [];
    public IReadOnlyList<Requirement> Requirements { get; init; } = [];
    public IReadOnlyList<Guard> Guards { get; init; } = [];
    public IReadOnlyList<Need> Needs { get; init; } = [];

    /// <summary>The <c>--help</c> heading of the target; null lists it under "Other targets".</summary>
    public string? Group { get; init; }

    /// <summary>The build members (parameters) the target reads: the ones it requires and the ones it declares with <c>Uses</c>.</summary>
    public IReadOnlyList<string> Uses { get; init; } = [];
    public bool ProceedAfterFailure { get; init; }
    public bool AssuredAfterFailure { get; init; }
    public bool Unlisted { get; init; }
    public Func<CancellationToken, Task>? Body { get; init; }
}
