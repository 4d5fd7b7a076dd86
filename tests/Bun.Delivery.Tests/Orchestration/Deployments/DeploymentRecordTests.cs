using Bun.Delivery.Model.Rules;
using Bun.Delivery.Orchestration.Deployments;
using Bun.Delivery.Tests.Integrations.Argo.Simulator;
using Bun.Delivery.Tests.Integrations.GitHub;
using Bun.Delivery.Tests.Integrations.GitOps;
using Bun.Delivery.Tests.Model.Images;
using Bun.Pipeline.Failures;

namespace Bun.Delivery.Tests.Orchestration.Deployments;

/// <summary>Each deploy, promotion and rollback as a GitHub deployment, against the GitHub double, with the real Octokit client.</summary>
public sealed class DeploymentRecordTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static DeploymentSettings Recorded(DeploymentSandbox sandbox, GitHubDouble github, RecordedOutput recorded, string? token = "", string? actionsRun = null) =>
        sandbox.Settings with
        {
            Recorder = new GitHubDeploymentRecorder(GitHubSandbox.Access(github, recorded, token, actionsRun), recorded.Output,
                environment => $"https://{environment.Name}.bun.example"),
        };

    private static GitHubDouble Knowing(params int[] commits)
    {
        var github = GitHubDouble.Start();
        foreach (var number in commits)
            github.Push("main", GitOpsSandbox.SourceCommit(number));
        return github;
    }

    [Fact]
    public async Task A_deploy_is_one_GitHub_deployment_of_its_commit_that_moves_from_in_progress_to_success()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync();
        await using var github = Knowing(1);
        var recorded = new RecordedOutput();

        await sandbox.DeployAsync(Environments.Dev, 1, Recorded(sandbox, github, recorded, actionsRun: "4711"));

        var (_, deployment, statuses) = github.Deployments("dev").ShouldHaveSingleItem();
        ((string?)deployment["sha"]).ShouldBe(GitOpsSandbox.SourceCommit(1));
        ((string?)deployment["payload"]!["version"]).ShouldBe("1.0.1");
        ((string?)deployment["payload"]!["digest"]).ShouldBe(GitOpsSandbox.Image(1).Digest.Value);
        ((bool?)deployment["production_environment"]).ShouldBe(false);
        var created = github.Requests.Single(request => request is { Method: "POST", Path: "/repos/bun/bun/deployments" });
        ((bool?)created.Body!["auto_merge"]).ShouldBe(false);
        statuses.Select(status => (string?)status["state"]).ShouldBe(["in_progress", "success"]);
        statuses.ShouldAllBe(status => (string?)status["environment_url"] == "https://dev.bun.example");
        statuses.ShouldAllBe(status => (string?)status["log_url"] == "https://github.com/bun/bun/actions/runs/4711");
    }

    [Fact]
    public async Task A_promotion_is_a_production_deployment()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync();
        await using var github = Knowing(1);
        await sandbox.DeployAsync(Environments.Stage, 1);
        var recorded = new RecordedOutput();
        await using var deployer = await sandbox.OpenAsync(Recorded(sandbox, github, recorded));

        await deployer.PromoteAsync(new Promotion(Environments.Stage, Environments.Prod, "1.4.0", GitOpsSandbox.SourceCommit(1), "release/1.4.0"), (_, _, _) => Task.FromResult(true), None);

        var (_, deployment, statuses) = github.Deployments("prod").ShouldHaveSingleItem();
        ((bool?)deployment["production_environment"]).ShouldBe(true);
        ((string?)deployment["payload"]!["version"]).ShouldBe("1.4.0");
        statuses.Select(status => (string?)status["state"]).ShouldBe(["in_progress", "success"]);
    }

    [Fact]
    public async Task In_a_job_bound_to_an_environment_the_statuses_go_on_the_deployment_GitHub_created()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync();
        await using var github = Knowing(1);
        var existing = github.AddActionsDeployment("dev", GitOpsSandbox.SourceCommit(1), runId: "4711");
        var recorded = new RecordedOutput();

        await sandbox.DeployAsync(Environments.Dev, 1, Recorded(sandbox, github, recorded, actionsRun: "4711"));

        var (id, _, statuses) = github.Deployments("dev").ShouldHaveSingleItem();
        id.ShouldBe(existing);
        statuses.Select(status => (string?)status["state"]).ShouldBe(["in_progress", "in_progress", "success"]);
        github.Requests.ShouldNotContain(request => request.Method == "POST" && request.Path == "/repos/bun/bun/deployments");
    }

    [Fact]
    public async Task A_failed_verification_is_a_failure_status_and_the_deploys_own_error_stands()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync();
        sandbox.Argo.Simulator.Configure("bun-api-stage", application => application.DefaultRollout = Rollout.Degraded);
        await using var github = Knowing(1);

        var failure = await Should.ThrowAsync<BuildFailure>(() => sandbox.DeployAsync(Environments.Stage, 1, Recorded(sandbox, github, new RecordedOutput())));

        failure.Message.ShouldContain("failed its verification");
        var (_, _, statuses) = github.Deployments("stage").ShouldHaveSingleItem();
        statuses.Select(status => (string?)status["state"]).ShouldBe(["in_progress", "failure"]);
        statuses[^1]["description"]!.GetValue<string>().ShouldContain("failed its verification");
    }

    [Fact]
    public async Task A_rollback_marks_the_deployment_it_replaces_inactive()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync();
        await using var github = Knowing(1, 2);
        var recorded = new RecordedOutput();
        await sandbox.DeployAsync(Environments.Prod, 1, Recorded(sandbox, github, recorded));
        await sandbox.DeployAsync(Environments.Prod, 2, Recorded(sandbox, github, recorded));
        await using var deployer = await sandbox.OpenAsync(Recorded(sandbox, github, recorded));

        await deployer.RollbackAsync(Environments.Prod, null, None);

        var deployments = github.Deployments("prod");
        deployments.Count.ShouldBe(3);
        deployments[1].Statuses[^1]["state"]!.GetValue<string>().ShouldBe("inactive");
        deployments[2].Statuses.Select(status => (string?)status["state"]).ShouldBe(["in_progress", "success"]);
        ((string?)deployments[2].Deployment["payload"]!["version"]).ShouldBe("1.0.1");
    }

    [Fact]
    public async Task An_automatic_rollback_is_a_GitHub_deployment_of_its_own_after_the_failed_one()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync("test");
        await using var github = Knowing(1, 2);
        var recorded = new RecordedOutput();
        await sandbox.DeployAsync(Environments.Test, 1, Recorded(sandbox, github, recorded));
        sandbox.Argo.Simulator.Configure("bun-api-test", application => application.Behave(GitOpsSandbox.Image(2).Digest.Value, Rollout.FlickerThenDegraded));

        var failure = await Should.ThrowAsync<BuildFailure>(() => sandbox.DeployAsync(Environments.Test, 2, Recorded(sandbox, github, recorded)));

        failure.Message.ShouldContain("test was rolled back automatically to 1.0.1");
        var deployments = github.Deployments("test");
        deployments.Count.ShouldBe(3);
        ((string?)deployments[1].Deployment["payload"]!["version"]).ShouldBe("1.0.2");
        deployments[1].Statuses[^1]["state"]!.GetValue<string>().ShouldBe("failure");
        ((string?)deployments[2].Deployment["payload"]!["version"]).ShouldBe("1.0.1");
        deployments[2].Statuses.Select(status => (string?)status["state"]).ShouldBe(["in_progress", "success"]);
    }

    [Fact]
    public async Task Without_a_token_a_laptop_deploys_and_says_that_recording_is_skipped()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync();
        await using var github = Knowing(1);
        var recorded = new RecordedOutput();

        var outcome = await sandbox.DeployAsync(Environments.Dev, 1, Recorded(sandbox, github, recorded, token: null));

        outcome.Deployment.Version.ShouldBe("1.0.1");
        recorded.Text.ShouldContain("No GitHub token (--github-token or GITHUB_TOKEN): recording the deployment on GitHub is skipped.");
        github.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Without_a_token_GitHub_Actions_refuses_before_anything_is_deployed()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync();
        await using var github = Knowing(1);
        var head = await sandbox.GitOps.RemoteHeadAsync();

        var failure = await Should.ThrowAsync<BuildFailure>(() =>
            sandbox.DeployAsync(Environments.Dev, 1, Recorded(sandbox, github, new RecordedOutput(), token: null, actionsRun: "4711")));

        failure.ExitCode.ShouldBe(2);
        failure.Message.ShouldContain("needs a GitHub token with deployments: write");
        (await sandbox.GitOps.RemoteHeadAsync()).ShouldBe(head);
    }

    [Fact]
    public async Task A_refused_record_is_a_warning_and_the_deploy_still_succeeds()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync();
        await using var github = Knowing(1);
        github.Fail("POST", "/deployments", GitHubDouble.NotPermitted());
        var recorded = new RecordedOutput();

        var outcome = await sandbox.DeployAsync(Environments.Dev, 1, Recorded(sandbox, github, recorded));

        outcome.Deployment.Version.ShouldBe("1.0.1");
        (await sandbox.PinnedAsync(Environments.Dev)).ShouldBe(GitOpsSandbox.Image(1).Digest.Value);
        recorded.Text.ShouldContain("The deployment is not recorded on GitHub: creating a GitHub deployment of 1.0.1 to dev: GitHub");
        recorded.Text.ShouldContain("deployments: write");
    }
}
