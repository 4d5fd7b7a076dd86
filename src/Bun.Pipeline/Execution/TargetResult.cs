namespace Bun.Pipeline.Execution;

public enum TargetStatus
{
    Succeeded,
    Failed,
    Skipped,
    NotRun,
}

/// <summary>The outcome of one planned target, created once by the executor.</summary>
public sealed record TargetResult(string Name, TargetStatus Status, string? Reason, TimeSpan Duration);

/// <summary>Every result in plan order.</summary>
public sealed record BuildReport(IReadOnlyList<TargetResult> Results, TimeSpan Duration, bool Cancelled)
{
    public bool Succeeded => !Cancelled && Results.All(result => result.Status != TargetStatus.Failed);
}
