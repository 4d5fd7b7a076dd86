using Xunit.Abstractions;

namespace Bun.Build.Tests.Workflows;

/// <summary>Every generated workflow passes GitHub's own parser (with template conversion) and action-validator.</summary>
public sealed class WorkflowValidationTests(ITestOutputHelper log)
{
    public static TheoryData<string> Workflows() =>
        new(new Bun.Build.Build().Generated().Where(file => file.Path.StartsWith(".github/workflows/", StringComparison.Ordinal)).Select(file => file.Path));

    [SkippableTheory]
    [MemberData(nameof(Workflows))]
    public async Task Generated_workflow_passes_workflow_parser_and_action_validator(string path)
    {
        WorkflowValidators.Require(log);
        using var folder = new TempFolder();
        var file = folder.Write(Path.GetFileName(path), new Bun.Build.Build().Generated().Single(generated => generated.Path == path).Content);

        var (exitCode, output) = await WorkflowValidators.ValidateAsync(file);

        exitCode.ShouldBe(0, output);
        output.ShouldContain("valid");
    }

    [SkippableFact]
    public async Task The_validators_refuse_a_workflow_whose_needs_form_a_cycle()
    {
        WorkflowValidators.Require(log);
        using var folder = new TempFolder();
        var file = folder.Write("cycle.yml", """
            on: push
            jobs:
              a:
                needs: b
                runs-on: ubuntu-latest
                steps:
                  - run: ./build.sh Compile
              b:
                needs: a
                runs-on: ubuntu-latest
                steps:
                  - run: ./build.sh Test
            """);

        var (exitCode, output) = await WorkflowValidators.ValidateAsync(file);

        exitCode.ShouldBe(1);
        output.ShouldContain("cycle");
    }

    [SkippableFact]
    public async Task Action_validator_refuses_an_unknown_job_key()
    {
        WorkflowValidators.Require(log);
        using var folder = new TempFolder();
        var file = folder.Write("unknown.yml", """
            on: push
            jobs:
              a:
                runs-on: ubuntu-latest
                deploys-to: prod
                steps:
                  - run: ./build.sh Compile
            """);

        var (exitCode, output) = await WorkflowValidators.ValidateAsync(file);

        exitCode.ShouldBe(1);
        output.ShouldContain("action-validator:");
        output.ShouldContain("workflow-parser:");
    }
}
