using Bun.Pipeline.Tests.Support;

namespace Bun.Pipeline.Tests.Workflows;

/// <summary>In GitHub Actions, <c>--plan</c> publishes the plan: decisions and a Mermaid graph in the step summary, the running targets as a step output.</summary>
public sealed class PlanSummaryTests
{
    [Fact]
    public async Task A_plan_in_GitHub_Actions_writes_the_targets_output_and_a_mermaid_graph()
    {
        using var harness = new BuildHarness();
        var build = new WorkflowBuild();
        harness.Variables["GITHUB_ACTIONS"] = "true";
        harness.Variables["GITHUB_OUTPUT"] = harness.Root.Write("output", "");
        harness.Variables["GITHUB_STEP_SUMMARY"] = harness.Root.Write("summary.md", "");

        var exitCode = await harness.RunAsync(build, build.Test, "Publish", "--skip", "Compile", "--plan");

        exitCode.ShouldBe(0, harness.AllOutput);
        File.ReadAllText(harness.Variables["GITHUB_OUTPUT"]).ShouldBe("targets=[\"Test\",\"Publish\"]\n");
        var summary = File.ReadAllText(harness.Variables["GITHUB_STEP_SUMMARY"]);
        summary.ShouldContain("| Compile | skip | skipped by --skip |");
        summary.ShouldContain("| Publish | run |");
        summary.ShouldContain("```mermaid\ngraph LR\n");
        summary.ShouldContain("  Compile[\"Compile\"]:::skip\n");
        summary.ShouldContain("  Test[\"Test\"]:::run\n");
        summary.ShouldContain("  Compile --> Test\n");
        summary.ShouldContain("  Test --> Publish\n");
    }
}
