using Bun.Pipeline.Targets;
using Bun.Pipeline.Workflows;

namespace Bun.Build.Tests.Workflows;

/// <summary>What DESIGN §10 asks of this repository's workflows: real targets, least privilege, one lane per environment, secrets only where needed.</summary>
public sealed class RepositoryWorkflowsTests
{
    private static readonly Bun.Build.Build Build = new();
    private static readonly IReadOnlyList<TargetSpec> Targets = TargetDiscovery.Discover(Build).Specs;
    private static readonly string[] PushingTargets = ["PushImage", "CleanupFeatureImages", "PromoteProd"];
    private static readonly string[] RecordedTargets = ["DeployDev", "DeployTest", "DeployStage", "PromoteProd", "Rollback"];

    private static IEnumerable<(Workflow Workflow, WorkflowJob Job)> Jobs =>
        Build.DeclaredWorkflows.SelectMany(workflow => workflow.Jobs.Select(job => (workflow, job)));

    [Fact]
    public void Jobs_call_only_targets_that_exist()
    {
        var names = Targets.Select(target => target.Name).ToHashSet();

        foreach (var (workflow, job) in Jobs)
        foreach (var step in job.Steps)
            step.Targets.Concat(step.Skip ?? []).ShouldAllBe(name => names.Contains(name), $"{workflow.Id}/{job.Id}/{step.Id}");
    }

    [Fact]
    public void Workflows_read_by_default_and_only_jobs_that_push_images_deploy_or_release_may_write()
    {
        Build.DeclaredWorkflows.ShouldAllBe(workflow => workflow.Permissions == Permissions.ReadContents);
        foreach (var (workflow, job) in Jobs)
        {
            var runs = job.Steps.SelectMany(step => WorkflowGenerator.TargetsRunBy(step, Targets)).ToList();
            var permissions = job.Permissions ?? workflow.Permissions;
            (permissions.Of("packages") == Access.Write).ShouldBe(runs.Intersect(PushingTargets).Any(), $"{workflow.Id}/{job.Id} runs {string.Join(", ", runs)}");
            (permissions.Of("deployments") == Access.Write).ShouldBe(runs.Intersect(RecordedTargets).Any(), $"{workflow.Id}/{job.Id}");
            // Only the release writes contents: the tag vX.Y.Z and the GitHub release.
            permissions.Of("contents").ShouldBe(runs.Contains("PromoteProd") ? Access.Write : Access.Read, $"{workflow.Id}/{job.Id}");
            (permissions.Of("pull-requests") == Access.Write).ShouldBe(runs.Contains("BackMergeFix"), $"{workflow.Id}/{job.Id}");
        }
    }

    [Fact]
    public void Every_job_bound_to_an_environment_is_in_that_environments_deploy_group_which_never_cancels()
    {
        var bound = Jobs.Where(pair => pair.Job.Environment is not null).ToList();

        bound.Select(pair => pair.Job.Environment!.Name).ShouldBe(["dev", "test", "stage", "prod", "${{ inputs.environment }}"]);
        foreach (var (_, job) in bound)
            job.Concurrency.ShouldBe(new Concurrency($"deploy-{job.Environment!.Name}", CancelInProgress: false));
    }

    [Fact]
    public void Secrets_reach_only_the_deploy_steps_and_the_build_step_gets_only_the_registry_token()
    {
        var ci = Build.Generated().Single(file => file.Path == ".github/workflows/ci.yml").Content;
        var buildJob = ci[..ci.IndexOf("  deploy-dev:", StringComparison.Ordinal)];
        var planStep = buildJob[buildJob.IndexOf("- id: plan", StringComparison.Ordinal)..buildJob.IndexOf("- id: ci", StringComparison.Ordinal)];

        planStep.ShouldNotContain("env:");
        buildJob.ShouldNotContain("secrets.");
        buildJob.ShouldContain("BUN_REGISTRY_PASSWORD: ${{ github.token }}");
        ci[ci.IndexOf("  deploy-dev:", StringComparison.Ordinal)..].ShouldContain("BUN_GITOPS_TOKEN: ${{ secrets.BUN_GITOPS_TOKEN }}");
        ci.ShouldNotContain("BUN_REGISTRY_PASSWORD: ${{ secrets.");
    }

    [Fact]
    public void Every_step_that_does_work_runs_the_build_script_after_checkout_with_full_history_and_the_pinned_sdk()
    {
        foreach (var file in Build.Generated().Where(file => file.Path.EndsWith(".yml", StringComparison.Ordinal)))
        {
            var lines = file.Content.Split('\n');
            lines.Where(line => line.TrimStart().StartsWith("run: ", StringComparison.Ordinal))
                .ShouldAllBe(line => line.TrimStart().StartsWith("run: ./build.sh ", StringComparison.Ordinal), file.Path);
            file.Content.ShouldContain("uses: actions/checkout@v4\n        with:\n          fetch-depth: 0", Case.Sensitive, file.Path);
            file.Content.ShouldContain("global-json-file: global.json");
            file.Content.ShouldContain("path: ~/.nuget/packages");
        }
    }
}
