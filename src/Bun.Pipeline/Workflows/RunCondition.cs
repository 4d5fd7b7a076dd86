namespace Bun.Pipeline.Workflows;

/// <summary>
/// A job's or step's <c>if:</c>. <see cref="Planned"/> asks the build's own plan, so the rules stay in C# and the
/// workflow only follows them; <see cref="Expression"/> is for facts only GitHub knows at that point.
/// </summary>
public abstract record RunCondition
{
    /// <summary>The GitHub expression, without <c>${{ }}</c>.</summary>
    public abstract string Text { get; }

    /// <summary>True when the plan step, or the job that ran it, listed <paramref name="target"/> among the targets that run.</summary>
    public static RunCondition Planned(PlanSource source, string target) => new PlannedCondition(source, target);

    public static RunCondition Expression(string text) => new ExpressionCondition(text);
}

public sealed record PlannedCondition(PlanSource Source, string Target) : RunCondition
{
    public override string Text => $"contains(fromJSON({Source.Output}), '{Target}')";
}

public sealed record ExpressionCondition(string Source) : RunCondition
{
    public override string Text => Source;
}

/// <summary>Where a plan's <c>targets</c> output is read: a plan step of the same job, or a job this one needs.</summary>
public sealed record PlanSource(string? StepId, string? JobId, string JobOutput = BuildStep.PlannedTargetsOutput)
{
    public static PlanSource Step(string id) => new(id, null);
    public static PlanSource Job(string id, string output = BuildStep.PlannedTargetsOutput) => new(null, id, output);

    public string Output => StepId is not null ? $"steps.{StepId}.outputs.{BuildStep.PlannedTargetsOutput}" : $"needs.{JobId}.outputs.{JobOutput}";
}
