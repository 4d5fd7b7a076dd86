using Bun.Pipeline.Targets;

namespace Bun.Pipeline.Planning;

public enum Decision
{
    Run,
    Skip,
}

/// <summary>A conditional edge of a planned target, and whether its condition held for this context.</summary>
public sealed record ConditionalLink(string Kind, string Target, string Condition, bool Applies);

/// <summary>One target of the plan. <see cref="WaitsFor"/> is every planned target that must finish before it starts.</summary>
public sealed record PlannedTarget(
    TargetSpec Spec,
    Decision Decision,
    string? Reason,
    IReadOnlyList<string> DependsOn,
    IReadOnlyList<string> WaitsFor,
    IReadOnlyList<ConditionalLink> Conditional,
    bool Invoked)
{
    public string Name => Spec.Name;
}

/// <summary>The ordered plan: invoked targets and everything they pull in, in execution order.</summary>
public sealed record Plan(IReadOnlyList<PlannedTarget> Targets)
{
    public IEnumerable<PlannedTarget> Running => Targets.Where(target => target.Decision == Decision.Run);
}

/// <summary>
/// What the user asked for. An empty <see cref="Skip"/> list with <see cref="SkipAllButInvoked"/> mirrors a bare <c>--skip</c>.
/// <see cref="Succeeded"/> are the targets that succeeded in the failed run <c>--continue</c> resumes; they are skipped.
/// <see cref="Synonyms"/> map words people type to the target meant, for suggestions (DeployProd → PromoteProd).
/// </summary>
public sealed record PlanRequest(IReadOnlyList<string> Invoked, IReadOnlyList<string>? Skip = null, bool SkipAllButInvoked = false)
{
    public IReadOnlyCollection<string> Succeeded { get; init; } = [];
    public IReadOnlyDictionary<string, string>? Synonyms { get; init; }
}
