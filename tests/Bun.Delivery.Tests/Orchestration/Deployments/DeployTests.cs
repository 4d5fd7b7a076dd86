using Bun.Delivery.Integrations.Argo;
using Bun.Delivery.Integrations.GitOps;
using Bun.Delivery.Model.Rules;
using Bun.Delivery.Tests.Integrations.Argo.Simulator;
using Bun.Delivery.Tests.Integrations.GitOps;
using Bun.Pipeline.Failures;

namespace Bun.Delivery.Tests.Orchestration.Deployments;

public sealed class DeployTests
{
    [Fact]
    public async Task Without_Argo_CD_a_deploy_is_committed_and_the_skipped_sync_is_a_visible_notice()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync();

        var outcome = await sandbox.DeployAsync(Environments.Dev, 1, sandbox.WithoutArgoCd);

        outcome.Verification.ShouldBe(Verification.Unverified);
        (await sandbox.PinnedAsync(Environments.Dev)).ShouldBe(GitOpsSandbox.Image(1).Digest.Value);
        sandbox.Text.ShouldContain($"notice: No Argo CD configured (--argocd-server): deploy bun-api 1.0.1 to dev is committed as {outcome.Commit}, but the sync and the verification are skipped");
        sandbox.Argo.Simulator.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_deploy_is_synced_waited_for_and_recorded_as_verified()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync();

        var outcome = await sandbox.DeployAsync(Environments.Stage, 1);

        outcome.Verification.ShouldBe(Verification.Healthy);
        var history = await sandbox.HistoryAsync(Environments.Stage);
        history.Current.ShouldBe(history.Current! with { Commit = outcome.Commit, Verification = Verification.Healthy });
        sandbox.Argo.Simulator.With("bun-api-stage", application => application.LiveDigest).ShouldBe(GitOpsSandbox.Image(1).Digest.Value);
        sandbox.Text.ShouldContain("deploy bun-api 1.0.1 to stage: verified.");
    }

    [Fact]
    public async Task A_deploy_to_an_auto_sync_environment_refreshes_and_is_verified()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync("dev");

        var outcome = await sandbox.DeployAsync(Environments.Dev, 1);

        outcome.Verification.ShouldBe(Verification.Healthy);
        sandbox.Argo.Simulator.Requests.ShouldNotContain(request => request.Path.EndsWith("/sync"));
    }

    [Fact]
    public async Task An_unknown_application_fails_before_anything_is_written_to_git()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync();
        var head = await sandbox.GitOps.RemoteHeadAsync();
        var settings = sandbox.Settings with { GitOps = sandbox.GitOps.Settings with { App = "bun-web" } };

        var failure = await Should.ThrowAsync<ArgoCdApplicationNotFoundException>(() => sandbox.DeployAsync(Environments.Test, 1, settings));

        failure.Message.ShouldContain("Argo CD has no application bun-web-test, or this account may not see or change it");
        (await sandbox.GitOps.RemoteHeadAsync()).ShouldBe(head);
    }

    [Fact]
    public async Task Argo_CD_unreachable_fails_the_deploy_before_git_changes()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync();
        var head = await sandbox.GitOps.RemoteHeadAsync();
        sandbox.Argo.Simulator.Unavailable = true;

        var failure = await Should.ThrowAsync<ArgoCdUnavailableException>(() => sandbox.DeployAsync(Environments.Stage, 1));

        failure.ExitCode.ShouldBe(1);
        (await sandbox.GitOps.RemoteHeadAsync()).ShouldBe(head);
    }

    [Fact]
    public async Task A_sync_window_refuses_the_deploy_before_git_changes()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync("prod");
        sandbox.Argo.Simulator.Configure("bun-api-prod", application => application.SyncWindowOpen = false);
        var head = await sandbox.GitOps.RemoteHeadAsync();

        var failure = await Should.ThrowAsync<ArgoCdSyncWindowException>(() => sandbox.DeployAsync(Environments.Prod, 1));

        failure.Message.ShouldContain("Could not sync bun-api-prod: a sync window forbids it now");
        (await sandbox.GitOps.RemoteHeadAsync()).ShouldBe(head);
    }

    [Fact]
    public async Task A_failed_deploy_to_stage_is_recorded_as_failed_and_left_for_the_operator()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync();
        await sandbox.DeployAsync(Environments.Stage, 1);
        sandbox.Argo.Simulator.Configure("bun-api-stage", application => application.Behave(GitOpsSandbox.Image(2).Digest.Value, Rollout.Degraded));

        var failure = await Should.ThrowAsync<BuildFailure>(() => sandbox.DeployAsync(Environments.Stage, 2));

        failure.Message.ShouldContain("deploy bun-api 1.0.2 to stage failed its verification");
        failure.Message.ShouldContain("health Degraded");
        failure.Message.ShouldContain("Deployment bun-stage/bun-api: health Degraded");
        failure.Message.ShouldContain("To go back: ./build.sh Rollback --environment stage");
        var history = await sandbox.HistoryAsync(Environments.Stage);
        history.Deployments.Select(record => (record.Deployment.Version, record.Verification)).ShouldBe([("1.0.2", Verification.Failed), ("1.0.1", Verification.Healthy)]);
        (await sandbox.PinnedAsync(Environments.Stage)).ShouldBe(GitOpsSandbox.Image(2).Digest.Value);
    }

    [Fact]
    public async Task A_failed_deploy_to_test_is_rolled_back_automatically_to_the_last_verified_version()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync("test");
        await sandbox.DeployAsync(Environments.Test, 1);
        sandbox.Argo.Simulator.Configure("bun-api-test", application => application.Behave(GitOpsSandbox.Image(2).Digest.Value, Rollout.FlickerThenDegraded));

        var failure = await Should.ThrowAsync<BuildFailure>(() => sandbox.DeployAsync(Environments.Test, 2));

        failure.Message.ShouldContain("test was rolled back automatically to 1.0.1");
        var history = await sandbox.HistoryAsync(Environments.Test);
        history.Deployments.Select(record => (record.Deployment.Action, record.Deployment.Version, record.Verification)).ShouldBe(
        [
            (DeploymentAction.Rollback, "1.0.1", Verification.Healthy),
            (DeploymentAction.Deploy, "1.0.2", Verification.Failed),
            (DeploymentAction.Deploy, "1.0.1", Verification.Healthy),
        ]);
        (await sandbox.PinnedAsync(Environments.Test)).ShouldBe(GitOpsSandbox.Image(1).Digest.Value);
        sandbox.Argo.Simulator.With("bun-api-test", application => application.LiveDigest).ShouldBe(GitOpsSandbox.Image(1).Digest.Value);
    }

    [Fact]
    public async Task The_automatic_rollback_changes_nothing_when_another_run_has_deployed_since()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync();
        await sandbox.DeployAsync(Environments.Test, 1);
        sandbox.Argo.Simulator.Configure("bun-api-test", application => application.Behave(GitOpsSandbox.Image(2).Digest.Value, Rollout.Degraded));
        var otherRun = false;
        // The failed verdict reads the resource tree: just then, before the rollback, another run deploys 1.0.3.
        sandbox.Argo.Simulator.BeforeAnswer = async request =>
        {
            if (request.Path.EndsWith("/resource-tree", StringComparison.Ordinal) && !otherRun)
            {
                otherRun = true;
                await sandbox.Argo.PushAsync("test", 3);
            }
        };

        var failure = await Should.ThrowAsync<BuildFailure>(() => sandbox.DeployAsync(Environments.Test, 2));

        failure.ExitCode.ShouldBe(1);
        failure.Message.ShouldContain("deploy bun-api 1.0.2 to test failed its verification");
        failure.Message.ShouldContain($"test was not rolled back automatically: another run has deployed to it since, so it no longer pins {GitOpsSandbox.Image(2).Digest.Short}. Nothing was changed");
        (await sandbox.PinnedAsync(Environments.Test)).ShouldBe(GitOpsSandbox.Image(3).Digest.Value);
        var history = await sandbox.HistoryAsync(Environments.Test);
        history.Deployments.Select(record => (record.Deployment.Action, record.Deployment.Version, record.Verification)).ShouldBe(
        [
            (DeploymentAction.Deploy, "1.0.3", Verification.Unverified),
            (DeploymentAction.Deploy, "1.0.2", Verification.Failed),
            (DeploymentAction.Deploy, "1.0.1", Verification.Healthy),
        ]);
    }

    [Fact]
    public async Task Argo_CD_gone_during_the_verification_leaves_the_verdict_unknown_and_rolls_nothing_back()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync();
        await sandbox.DeployAsync(Environments.Test, 1);
        GoesDownAfterTheSync(sandbox.Argo.Simulator);

        var failure = await Should.ThrowAsync<BuildFailure>(() => sandbox.DeployAsync(Environments.Test, 2));

        failure.ExitCode.ShouldBe(1);
        failure.Message.ShouldMatch(@"^deploy bun-api 1\.0\.2 to test is committed as [0-9a-f]{7}, but its verdict is unknown: ");
        failure.Message.ShouldContain("is unavailable");
        failure.Message.ShouldEndWith("Nothing was recorded as failed and nothing was rolled back. Once Argo CD answers, verify it: ./build.sh Verify --environment test");
        (await sandbox.PinnedAsync(Environments.Test)).ShouldBe(GitOpsSandbox.Image(2).Digest.Value);
        (await sandbox.GitOps.RemoteGitAsync("log", "--format=%(trailers:key=Bun-Verified,valueonly)")).ShouldNotContain("false");
        var history = await sandbox.HistoryAsync(Environments.Test);
        history.Deployments.Select(record => (record.Deployment.Action, record.Deployment.Version, record.Verification)).ShouldBe(
        [
            (DeploymentAction.Deploy, "1.0.2", Verification.Unverified),
            (DeploymentAction.Deploy, "1.0.1", Verification.Healthy),
        ]);
    }

    [Fact]
    public async Task Argo_CD_answering_5xx_to_the_sync_leaves_the_verdict_unknown()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync();
        var simulator = sandbox.Argo.Simulator;
        simulator.BeforeAnswer = request =>
        {
            simulator.Unavailable = request.Path.EndsWith("/sync", StringComparison.Ordinal);
            return Task.CompletedTask;
        };

        var failure = await Should.ThrowAsync<BuildFailure>(() => sandbox.DeployAsync(Environments.Prod, 1));

        failure.Message.ShouldContain("but its verdict is unknown");
        failure.Message.ShouldContain("./build.sh Verify --environment prod");
        (await sandbox.HistoryAsync(Environments.Prod)).Current!.Verification.ShouldBe(Verification.Unverified);
    }

    /// <summary>Argo CD answers the sync, then 503 to everything after it.</summary>
    internal static void GoesDownAfterTheSync(ArgoCdSimulator simulator)
    {
        var synced = false;
        simulator.BeforeAnswer = request =>
        {
            if (request.Method == "POST" && request.Path.EndsWith("/sync", StringComparison.Ordinal))
                synced = true;
            else if (synced)
                simulator.Unavailable = true;
            return Task.CompletedTask;
        };
    }

    [Fact]
    public async Task A_first_deploy_that_fails_in_test_says_there_was_nothing_to_roll_back_to()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync();
        sandbox.Argo.Simulator.Configure("bun-api-test", application => application.DefaultRollout = Rollout.Degraded);

        var failure = await Should.ThrowAsync<BuildFailure>(() => sandbox.DeployAsync(Environments.Test, 1));

        failure.Message.ShouldContain("The automatic rollback of test failed as well: Nothing to roll back to");
    }

    [Fact]
    public async Task A_deploy_that_times_out_stops_the_stuck_operation_before_rolling_back()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync();
        await sandbox.DeployAsync(Environments.Prod, 1);
        sandbox.Argo.Simulator.Configure("bun-api-prod", application => application.OperationReads = 1_000_000);
        var settings = sandbox.Settings with { Timeout = TimeSpan.FromMilliseconds(300) };
        await using var deployer = await sandbox.OpenAsync(settings);
        var deploy = deployer.DeployAsync(DeploymentSandbox.Request(Environments.Prod, 2), CancellationToken.None);

        var failure = await Should.ThrowAsync<BuildFailure>(() => deploy);

        failure.Message.ShouldContain("was not Synced and Healthy");
        failure.Message.ShouldContain("(operation Running)");
        sandbox.Argo.Simulator.Requests.ShouldContain(request => request.Method == "DELETE" && request.Path == "/api/v1/applications/bun-api-prod/operation");
        (await sandbox.PinnedAsync(Environments.Prod)).ShouldBe(GitOpsSandbox.Image(1).Digest.Value);
    }

    [Fact]
    public async Task The_local_environment_is_not_deployed_through_GitOps()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync();

        var failure = await Should.ThrowAsync<BuildFailure>(() => sandbox.DeployAsync(Environments.Local, 1));

        failure.ExitCode.ShouldBe(2);
        failure.Message.ShouldContain("local is a developer's machine: it isn't deployed through GitOps. Only cluster environments are.");
    }

    [Fact]
    public async Task A_source_commit_that_is_not_a_full_sha_is_bad_input()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync();
        await using var deployer = await sandbox.OpenAsync(sandbox.WithoutArgoCd);

        var failure = await Should.ThrowAsync<BuildFailure>(() => deployer.DeployAsync(
            DeploymentSandbox.Request(Environments.Dev, 1) with { SourceCommit = "abc1234" }, CancellationToken.None));

        failure.ExitCode.ShouldBe(2);
    }
}
