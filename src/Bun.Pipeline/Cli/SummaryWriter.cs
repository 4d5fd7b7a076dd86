using System.Text;
using Bun.Pipeline.Execution;
using Bun.Pipeline.Output;
using Bun.Pipeline.Planning;

namespace Bun.Pipeline.Cli;

/// <summary>The table at the end of a run, and the same as markdown in <c>$GITHUB_STEP_SUMMARY</c> with the plan's graph.</summary>
internal static class SummaryWriter
{
    public static void Write(BuildOutput output, BuildReport report, Plan plan, BuildEnvironment environment)
    {
        var width = report.Results.Select(result => result.Name.Length).Append(6).Max() + 2;
        output.Info("");
        output.Heading($"{"Target".PadRight(width)}{"Status".PadRight(12)}{"Duration",9}  Reason");
        foreach (var result in report.Results)
        {
            var line = $"{result.Name.PadRight(width)}{result.Status.ToString().PadRight(12)}{Format(result.Duration),9}  {result.Reason}".TrimEnd();
            switch (result.Status)
            {
                case TargetStatus.Succeeded: output.Success(line); break;
                case TargetStatus.Failed: output.Write(line, Tone.Error); break;
                default: output.Dim(line); break;
            }
        }

        var verdict = report.Cancelled ? "Build cancelled" : report.Succeeded ? "Build succeeded" : "Build failed";
        if (report.Succeeded)
            output.Success($"{verdict} in {Format(report.Duration)}.");
        else
            output.Write($"{verdict} after {Format(report.Duration)}.", Tone.Error);

        if (environment.Variables.GetValueOrDefault("GITHUB_STEP_SUMMARY") is { Length: > 0 } summaryFile)
            File.AppendAllText(summaryFile, Markdown(report, verdict, output.Secrets) + output.Secrets.Apply(PlanSummary.Mermaid(plan) + "\n"));
    }

    // Each cell is masked before it is escaped: "a|b" escaped to "a\|b" would no longer match the secret "a|b".
    private static string Markdown(BuildReport report, string verdict, SecretMasker secrets)
    {
        var builder = new StringBuilder($"### {verdict}\n\n| Target | Status | Duration | Reason |\n|---|---|---|---|\n");
        string Cell(string? text) => secrets.Apply(text ?? "").Replace("|", "\\|");
        foreach (var result in report.Results)
            builder.Append($"| {Cell(result.Name)} | {result.Status} | {Format(result.Duration)} | {Cell(result.Reason)} |\n");
        return builder.Append('\n').ToString();
    }

    private static string Format(TimeSpan duration) =>
        duration == TimeSpan.Zero ? "–" : duration.TotalMinutes >= 1 ? duration.ToString(@"m\:ss") : $"{duration.TotalSeconds:0.0}s";
}
