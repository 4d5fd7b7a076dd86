using System.Text.Json;
using Bun.Delivery.Model.Context;
using Bun.Delivery.Tests.Support;
using Bun.Pipeline.Workflows;
using RepositoryBuild = Bun.Build.Build;

namespace Bun.Delivery.Tests.Workflows;

/// <summary>
/// The generated workflows run what <c>./build.sh Ci --plan --json</c> plans for the same event and branch: each
/// scenario of DESIGN §3 is played through the workflows GitHub would start, the way GitHub would run them (plan steps
/// run for real and publish their <c>targets</c> output; job and step conditions read it), and the targets of the steps
/// that run add up to Ci's plan.
/// </summary>
public sealed class WorkflowPlanTests
{
    private static readonly IReadOnlyList<Workflow> Declared = new RepositoryBuild().DeclaredWorkflows;

    public static TheoryData<Scenario> DesignScenarios() => new(
        Scenario.PullRequest("feature/login"),
        Scenario.PullRequest("fix/crash", "release/1.4.0"),
        Scenario.PullRequest("spike/idea"),
        Scenario.Push("feature/login"),
        Scenario.Push("feature/team/search"),
        Scenario.Push("fix/crash"),
        Scenario.Push("main"),
        Scenario.Push("release/1.4.0"),
        Scenario.Closed("feature/login", merged: true),
        Scenario.Closed("fix/crash", merged: true, "release/1.4.0"),
        Scenario.Closed("feature/login", merged: false),
        Scenario.Closed("release/1.4.0", merged: true));

    [Theory]
    [MemberData(nameof(DesignScenarios))]
    public async Task The_targets_the_workflows_run_are_the_plan_of_Ci_for_the_same_context(Scenario scenario)
    {
        var ci = await Hosts.OnGitHubAsync(scenario, Hosts.FixtureCommit, "Ci", "--plan", "--json");
        ci.ExitCode.ShouldBe(0, ci.All);

        var triggered = Declared.Where(workflow => Triggers(workflow, scenario)).ToList();
        var ran = new List<string>();
        foreach (var workflow in triggered)
            ran.AddRange(await PlayAsync(workflow, scenario));

        triggered.ShouldNotBeEmpty($"no workflow starts for {scenario}");
        ran.ShouldBe(ci.Running.Where(name => name != "Ci"), $"workflows {string.Join(", ", triggered.Select(workflow => workflow.Id))} for {scenario}");
    }

    [Fact]
    public void The_deploy_jobs_run_only_the_target_they_deploy_with_the_image_of_the_build_job()
    {
        var ci = Declared.Single(workflow => workflow.Id == "ci");
        var deploys = ci.Jobs.Where(job => job.Environment is not null).ToList();

        deploys.Select(job => job.Environment!.Name).ShouldBe(["dev", "test", "stage"]);
        deploys.ShouldAllBe(job => job.Needs.SequenceEqual(new[] { "build" }));
        foreach (var job in deploys)
        {
            var step = job.Steps.ShouldHaveSingleItem();
            step.Skip.ShouldBe([], "a deploy job never rebuilds: only its own target runs");
            step.Values.ShouldContain(new ParameterValue("Image", "needs.build.outputs.image"));
        }
    }

    [Fact]
    public void PromoteProd_and_Rollback_each_have_a_dispatch_button()
    {
        var promote = Declared.Single(workflow => workflow.Id == "promote-prod");
        var rollback = Declared.Single(workflow => workflow.Id == "rollback");

        promote.On.ShouldHaveSingleItem().ShouldBeOfType<DispatchTrigger>();
        promote.Jobs.SelectMany(job => job.Steps).SelectMany(step => step.Targets).ShouldBe(["PromoteProd"]);
        promote.Jobs.Single().Environment!.Name.ShouldBe("prod");
        rollback.On.ShouldHaveSingleItem().ShouldBeOfType<DispatchTrigger>();
        rollback.Jobs.SelectMany(job => job.Steps).SelectMany(step => step.Targets).ShouldBe(["Rollback"]);
    }

    [Fact]
    public void The_rollback_inputs_come_from_the_environments_table_and_the_RollbackVia_enum()
    {
        var inputs = Declared.Single(workflow => workflow.Id == "rollback").Inputs.ToDictionary(input => input.Name);

        inputs.Keys.ShouldBe(["environment", "version", "via"]);
        inputs["environment"].Choices.ShouldBe(Bun.Delivery.Model.Rules.Environments.Table.Deployed.Select(environment => environment.Name));
        inputs["environment"].Required.ShouldBeTrue();
        inputs["version"].Required.ShouldBeFalse();
        inputs["version"].Parameter.ShouldBe("ToVersion");
        inputs["via"].Choices.ShouldBe(["git", "argocd", "rollouts"]);
        inputs["via"].Default.ShouldBe("git");
        inputs.Values.ShouldAllBe(input => input.Description.Length > 0);
    }

    // Plays one workflow's jobs in order; returns the targets its non-plan steps run, in order.
    private static async Task<List<string>> PlayAsync(Workflow workflow, Scenario scenario)
    {
        var jobOutputs = new Dictionary<string, Dictionary<string, string>>();
        var ran = new List<string>();
        foreach (var job in workflow.Jobs)
        {
            if (!Holds(job.If, scenario, jobOutputs, stepOutputs: []))
                continue;
            var stepOutputs = new Dictionary<string, Dictionary<string, string>>();
            foreach (var step in job.Steps.Where(step => Holds(step.If, scenario, jobOutputs, stepOutputs)))
            {
                if (step.Plan)
                    stepOutputs[step.Id] = await RunPlanStepAsync(step, scenario);
                else
                {
                    var run = await Hosts.OnGitHubAsync(scenario, Hosts.FixtureCommit, [.. step.CommandLine, "--plan", "--json"]);
                    run.ExitCode.ShouldBe(0, run.All);
                    ran.AddRange(run.Running.Where(name => name != "Ci"));
                }
            }

            jobOutputs[job.Id] = job.Outputs.Where(output => stepOutputs.ContainsKey(output.StepId))
                .ToDictionary(output => output.Name, output => stepOutputs[output.StepId].GetValueOrDefault(output.StepOutput, ""));
        }

        return ran;
    }

    // The plan step as GitHub runs it: the build writes its outputs to the file GITHUB_OUTPUT names.
    private static async Task<Dictionary<string, string>> RunPlanStepAsync(BuildStep step, Scenario scenario)
    {
        using var folder = new TempFolder();
        var variables = Hosts.GitHubVariables(scenario, Hosts.FixtureCommit, folder);
        variables["GITHUB_OUTPUT"] = folder.Write("github-output", "");
        variables["GITHUB_STEP_SUMMARY"] = folder.Write("summary.md", "");
        var run = await Hosts.RunAsync(folder.Path, variables, step.CommandLine);
        run.ExitCode.ShouldBe(0, run.All);
        File.ReadAllText(variables["GITHUB_STEP_SUMMARY"]).ShouldContain("```mermaid");
        return File.ReadAllLines(variables["GITHUB_OUTPUT"]).Select(line => line.Split('=', 2)).ToDictionary(pair => pair[0], pair => pair[1]);
    }

    private static bool Holds(RunCondition? condition, Scenario scenario,
        Dictionary<string, Dictionary<string, string>> jobOutputs, Dictionary<string, Dictionary<string, string>> stepOutputs) => condition switch
    {
        null => true,
        PlannedCondition { Source.StepId: { } step } planned => Planned(stepOutputs[step][BuildStep.PlannedTargetsOutput], planned.Target),
        PlannedCondition { Source.JobId: { } job } planned => jobOutputs.TryGetValue(job, out var outputs) && Planned(outputs[planned.Source.JobOutput], planned.Target),
        ExpressionCondition { Source: "github.event.pull_request.merged == true" } => Hosts.Payload(scenario)["pull_request"]?["merged"]?.GetValue<bool>() == true,
        _ => throw new InvalidOperationException($"The test cannot evaluate {condition.Text}; teach it."),
    };

    private static bool Planned(string targetsJson, string target) => JsonSerializer.Deserialize<string[]>(targetsJson)!.Contains(target);

    // GitHub's filters: a push matches a branch glob (main, feature/**); a pull_request without types is opened/synchronize/reopened.
    private static bool Triggers(Workflow workflow, Scenario scenario) => workflow.On.Any(trigger => trigger switch
    {
        PushTrigger push => scenario.Event == DeliveryEvent.Push && push.Branches.Any(glob => Matches(glob, scenario.Branch)),
        PullRequestTrigger { Types.Count: 0 } => scenario.Event == DeliveryEvent.PullRequest,
        PullRequestTrigger pullRequest => scenario.Event == DeliveryEvent.PullRequestClosed && pullRequest.Types.Contains("closed"),
        _ => false,
    });

    private static bool Matches(string glob, string branch) =>
        glob.EndsWith("/**", StringComparison.Ordinal) ? branch.StartsWith(glob[..^2], StringComparison.Ordinal) : glob == branch;
}
