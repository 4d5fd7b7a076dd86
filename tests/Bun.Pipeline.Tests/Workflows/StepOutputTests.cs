using Bun.Pipeline.Targets;
using Bun.Pipeline.Tests.Support;

namespace Bun.Pipeline.Tests.Workflows;

/// <summary>A target hands a value to later jobs of a workflow through <c>$GITHUB_OUTPUT</c>; elsewhere it is dropped.</summary>
public sealed class StepOutputTests
{
    [Fact]
    public async Task A_step_output_is_appended_to_the_file_GitHub_names()
    {
        using var harness = new BuildHarness();
        var output = harness.Root.Write("output", "first=1\n");
        harness.Variables["GITHUB_OUTPUT"] = output;
        var build = new OutputBuild();

        var exitCode = await harness.RunAsync(build, build.Push);

        exitCode.ShouldBe(0, harness.AllOutput);
        File.ReadAllText(output).ShouldBe("first=1\nimage=registry/app@sha256:abc\n");
    }

    [Fact]
    public async Task Without_GitHub_Actions_a_step_output_writes_nothing()
    {
        using var harness = new BuildHarness();
        var build = new OutputBuild();

        var exitCode = await harness.RunAsync(build, build.Push);

        exitCode.ShouldBe(0, harness.AllOutput);
        Directory.GetFiles(harness.Root.Path).ShouldBeEmpty();
    }

    private sealed class OutputBuild : Build
    {
        public Target Push => _ => _.Executes(() => SetStepOutput("image", "registry/app@sha256:abc"));
    }
}
