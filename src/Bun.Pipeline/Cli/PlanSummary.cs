using System.Text;
using System.Text.Json.Nodes;
using Bun.Pipeline.Output;
using Bun.Pipeline.Planning;

namespace Bun.Pipeline.Cli;

/// <summary>
/// The plan for GitHub: each target's decision and reason plus the target graph as a Mermaid diagram in
/// <c>$GITHUB_STEP_SUMMARY</c>, and the running targets as the step output <c>targets</c> (a JSON array), which
/// generated workflows read to decide which later jobs run.
/// </summary>
public static class PlanSummary
{
    public const string TargetsOutput = "targets";

    public static void WriteForGitHub(Plan plan, BuildEnvironment environment, SecretMasker masker)
    {
        if (environment.Variables.GetValueOrDefault("GITHUB_STEP_SUMMARY") is { Length: > 0 } summary)
            File.AppendAllText(summary, masker.Apply(Markdown(plan)));
        if (environment.Variables.GetValueOrDefault("GITHUB_OUTPUT") is { Length: > 0 } outputs)
            File.AppendAllText(outputs, $"{TargetsOutput}={RunningJson(plan)}\n");
    }

    public static string RunningJson(Plan plan) =>
        new JsonArray(plan.Running.Select(target => (JsonNode)JsonValue.Create(target.Name)).ToArray()).ToJsonString();

    public static string Markdown(Plan plan)
    {
        var builder = new StringBuilder($"### Plan: {plan.Running.Count()} of {plan.Targets.Count} targets run\n\n| Target | Decision | Reason |\n|---|---|---|\n");
        foreach (var target in plan.Targets)
            builder.Append($"| {target.Name} | {(target.Decision == Decision.Run ? "run" : "skip")} | {target.Reason?.Replace("|", "\\|")} |\n");
        return builder.Append('\n').Append(Mermaid(plan)).Append('\n').ToString();
    }

    /// <summary>The planned targets and the dependencies that apply, skipped ones greyed; GitHub renders the block as a graph.</summary>
    public static string Mermaid(Plan plan)
    {
        var builder = new StringBuilder("```mermaid\ngraph LR\n");
        foreach (var target in plan.Targets)
            builder.Append($"  {target.Name}[\"{target.Name}\"]:::{(target.Decision == Decision.Run ? "run" : "skip")}\n");
        foreach (var target in plan.Targets)
        foreach (var dependency in target.DependsOn)
            builder.Append($"  {dependency} --> {target.Name}\n");
        return builder
            .Append("  classDef run fill:#dafbe1,stroke:#1a7f37\n")
            .Append("  classDef skip fill:#f6f8fa,stroke:#8c959f,color:#8c959f,stroke-dasharray: 4 4\n")
            .Append("```\n").ToString();
    }
}
