using Bun.Delivery.Integrations.GitOps;
using Bun.Delivery.Model.Rules;
using Bun.Delivery.Orchestration.Deployments;
using Bun.Delivery.Tests.Integrations.Argo.Simulator;
using Bun.Delivery.Tests.Integrations.GitOps;
using Bun.Pipeline.Failures;

namespace Bun.Delivery.Tests.Orchestration.Deployments;

public sealed class RollbackTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Rollback_restores_the_newest_earlier_verified_digest_that_differs_from_what_runs()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync();
        await sandbox.DeployAsync(Environments.Stage, 1);
        sandbox.Argo.Simulator.Configure("bun-api-stage", application => application.Behave(GitOpsSandbox.Image(2).Digest.Value, Rollout.Degraded));
        await Should.ThrowAsync<BuildFailure>(() => sandbox.DeployAsync(Environments.Stage, 2));
        await sandbox.DeployAsync(Environments.Stage, 3);
        await sandbox.DeployAsync(Environments.Stage, 3);

        await using var deployer = await sandbox.OpenAsync();
        var outcome = await deployer.RollbackAsync(Environments.Stage, null, None);

        outcome.Deployment.ShouldBe(GitOpsSandbox.Deployment("stage", 1, DeploymentAction.Rollback));
        outcome.Verification.ShouldBe(Verification.Healthy);
        (await sandbox.PinnedAsync(Environments.Stage)).ShouldBe(GitOpsSandbox.Image(1).Digest.Value);
        (await sandbox.GitOps.RemoteGitAsync("log", "-2", "--format=%s")).ShouldBe("verify bun-api 1.0.1 in stage: healthy\nrollback bun-api 1.0.1 to stage");
    }

    [Fact]
    public async Task Rollback_to_a_version_restores_that_version()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync();
        for (var number = 1; number <= 3; number++)
            await sandbox.DeployAsync(Environments.Dev, number);

        await using var deployer = await sandbox.OpenAsync();
        var outcome = await deployer.RollbackAsync(Environments.Dev, "1.0.1", None);

        outcome.Deployment.Version.ShouldBe("1.0.1");
        (await sandbox.PinnedAsync(Environments.Dev)).ShouldBe(GitOpsSandbox.Image(1).Digest.Value);
    }

    [Fact]
    public async Task With_nothing_to_roll_back_to_it_fails_clearly_and_the_repository_is_unchanged()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync();
        await sandbox.DeployAsync(Environments.Prod, 1);
        var head = await sandbox.GitOps.RemoteHeadAsync();

        await using var deployer = await sandbox.OpenAsync();
        var failure = await Should.ThrowAsync<BuildFailure>(() => deployer.RollbackAsync(Environments.Prod, null, None));

        failure.ExitCode.ShouldBe(1);
        failure.Message.ShouldStartWith($"Nothing to roll back to: prod runs 1.0.1 ({GitOpsSandbox.Image(1).Digest.Short}), and no earlier deployment of prod with another image was verified healthy. The GitOps repository is unchanged.");
        (await sandbox.GitOps.RemoteHeadAsync()).ShouldBe(head);
    }

    [Fact]
    public async Task Before_the_first_deployment_there_is_nothing_to_roll_back_to()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync();
        await using var deployer = await sandbox.OpenAsync();

        var failure = await Should.ThrowAsync<BuildFailure>(() => deployer.RollbackAsync(Environments.Test, null, None));

        failure.Message.ShouldBe("Nothing to roll back to: test has no deployment in the GitOps history yet. The GitOps repository is unchanged.");
    }

    [Fact]
    public async Task A_version_the_environment_never_ran_is_bad_input_listing_the_ones_it_did()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync();
        await sandbox.DeployAsync(Environments.Dev, 1);
        await using var deployer = await sandbox.OpenAsync();

        var failure = await Should.ThrowAsync<BuildFailure>(() => deployer.RollbackAsync(Environments.Dev, "9.9.9", None));

        failure.ExitCode.ShouldBe(2);
        failure.Message.ShouldBe($"dev never ran version '9.9.9' (--to-version), so its digest is unknown. Versions in its GitOps history: 1.0.1 ({GitOpsSandbox.Image(1).Digest.Short}) verified.");
    }

    [Fact]
    public async Task Rolling_back_to_the_version_that_runs_is_refused()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync();
        await sandbox.DeployAsync(Environments.Dev, 1);
        await using var deployer = await sandbox.OpenAsync();

        var failure = await Should.ThrowAsync<BuildFailure>(() => deployer.RollbackAsync(Environments.Dev, "1.0.1", None));

        failure.Message.ShouldContain("dev already runs 1.0.1");
    }

    [Fact]
    public async Task Rollback_by_a_git_commit_works_with_auto_sync_on()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync("test");
        await sandbox.DeployAsync(Environments.Test, 1);
        await sandbox.DeployAsync(Environments.Test, 2);

        await using var deployer = await sandbox.OpenAsync();
        var outcome = await deployer.RollbackAsync(Environments.Test, null, None);

        outcome.Verification.ShouldBe(Verification.Healthy);
        sandbox.Argo.Simulator.With("bun-api-test", application => (application.AutoSync, application.LiveDigest)).ShouldBe((true, GitOpsSandbox.Image(1).Digest.Value));
        sandbox.Argo.Simulator.Requests.ShouldNotContain(request => request.Path.EndsWith("/rollback"));
    }

    [Fact]
    public async Task Without_Argo_CD_an_unverified_deployment_can_be_rolled_back_to()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync();
        await sandbox.DeployAsync(Environments.Dev, 1, sandbox.WithoutArgoCd);
        await sandbox.DeployAsync(Environments.Dev, 2, sandbox.WithoutArgoCd);

        await using var deployer = await sandbox.OpenAsync(sandbox.WithoutArgoCd);
        var outcome = await deployer.RollbackAsync(Environments.Dev, null, None);

        outcome.Deployment.Version.ShouldBe("1.0.1");
        outcome.Verification.ShouldBe(Verification.Unverified);
    }

    [Fact]
    public async Task A_hand_edit_on_top_blocks_the_default_rollback_but_an_explicit_version_repairs_it()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync();
        await sandbox.DeployAsync(Environments.Stage, 1);
        await sandbox.DeployAsync(Environments.Stage, 2);
        await sandbox.GitOps.CommitByHandAsync("apps/bun-api/overlays/stage/kustomization.yaml", text => text.Replace("count: 2", "count: 4"), "hotfix replicas");
        await using var deployer = await sandbox.OpenAsync();

        var failure = await Should.ThrowAsync<BuildFailure>(() => deployer.RollbackAsync(Environments.Stage, null, None));
        var repaired = await deployer.RollbackAsync(Environments.Stage, "1.0.1", None);

        failure.Message.ShouldContain("Can't tell what stage runs now");
        failure.Message.ShouldContain("hotfix replicas");
        repaired.Verification.ShouldBe(Verification.Healthy);
        (await sandbox.HistoryAsync(Environments.Stage)).Problem.ShouldBeNull();
    }

    [Fact]
    public async Task Rollback_via_Argo_CD_turns_auto_sync_off_rolls_back_by_position_and_says_git_must_be_reverted()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync("prod");
        await sandbox.DeployAsync(Environments.Prod, 1);
        await sandbox.DeployAsync(Environments.Prod, 2);
        var head = await sandbox.GitOps.RemoteHeadAsync();

        var verdict = await ArgoCdRollback.RunAsync(sandbox.Settings, Environments.Prod, sandbox.GitOps.Output, None);

        verdict.Healthy.ShouldBeTrue();
        sandbox.Argo.Simulator.With("bun-api-prod", application => (application.AutoSync, application.LiveDigest)).ShouldBe((false, GitOpsSandbox.Image(1).Digest.Value));
        sandbox.Text.ShouldContain("Argo CD: auto-sync of bun-api-prod is now OFF.");
        sandbox.Text.ShouldContain("Git still pins the version you rolled back from: revert git first (./build.sh Rollback --environment prod once git is reachable), and only then turn auto-sync back on");
        (await sandbox.GitOps.RemoteHeadAsync()).ShouldBe(head);
    }

    [Fact]
    public async Task Rollback_via_Argo_CD_needs_an_earlier_history_entry()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync();
        await sandbox.DeployAsync(Environments.Stage, 1);

        var failure = await Should.ThrowAsync<BuildFailure>(() => ArgoCdRollback.RunAsync(sandbox.Settings, Environments.Stage, sandbox.GitOps.Output, None));

        failure.Message.ShouldContain("its history has 1 entry, so there is no earlier deployment to go back to");
    }

    [Fact]
    public async Task Rollback_via_Argo_CD_without_a_server_is_bad_input()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync();

        var failure = await Should.ThrowAsync<BuildFailure>(() => ArgoCdRollback.RunAsync(sandbox.WithoutArgoCd, Environments.Stage, sandbox.GitOps.Output, None));

        failure.ExitCode.ShouldBe(2);
    }
}
