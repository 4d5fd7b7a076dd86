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

        var replaced = (await sandbox.HistoryAsync(Environments.Stage)).Current!.Commit;

        await using var deployer = await sandbox.OpenAsync();
        var outcome = await deployer.RollbackAsync(Environments.Stage, null, None);

        outcome.Deployment.ShouldBe(GitOpsSandbox.Deployment("stage", 1, DeploymentAction.Rollback) with { Replaces = replaced });
        outcome.Verification.ShouldBe(Verification.Healthy);
        (await sandbox.PinnedAsync(Environments.Stage)).ShouldBe(GitOpsSandbox.Image(1).Digest.Value);
        (await sandbox.GitOps.RemoteGitAsync("log", "-2", "--format=%s")).ShouldBe("verify bun-api 1.0.1 in stage: healthy\nrollback bun-api 1.0.1 to stage");
    }

    [Fact]
    public async Task Rolling_back_twice_walks_back_from_v3_to_v2_to_v1_and_never_forth()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync();
        for (var number = 1; number <= 3; number++)
            await sandbox.DeployAsync(Environments.Stage, number);
        var v3 = (await sandbox.HistoryAsync(Environments.Stage)).Current!.Commit;

        await using var deployer = await sandbox.OpenAsync();
        var first = await deployer.RollbackAsync(Environments.Stage, null, None);
        var second = await deployer.RollbackAsync(Environments.Stage, null, None);
        var head = await sandbox.GitOps.RemoteHeadAsync();
        var third = await Should.ThrowAsync<BuildFailure>(() => deployer.RollbackAsync(Environments.Stage, null, None));

        (first.Deployment.Version, first.Deployment.Replaces).ShouldBe(("1.0.2", v3));
        (second.Deployment.Version, second.Deployment.Replaces).ShouldBe(("1.0.1", first.Commit));
        (await sandbox.PinnedAsync(Environments.Stage)).ShouldBe(GitOpsSandbox.Image(1).Digest.Value);
        third.Message.ShouldStartWith("Nothing to roll back to: stage runs 1.0.1");
        third.Message.ShouldContain("that was not rolled back from since");
        third.Message.ShouldContain($"1.0.2 ({GitOpsSandbox.Image(2).Digest.Short}) verified, rolled back from");
        (await sandbox.GitOps.RemoteHeadAsync()).ShouldBe(head);
        var history = await sandbox.HistoryAsync(Environments.Stage);
        history.Deployments.Select(record => (record.Deployment.Action, record.Deployment.Version, record.RolledBackBy)).ShouldBe(
        [
            (DeploymentAction.Rollback, "1.0.1", null),
            (DeploymentAction.Rollback, "1.0.2", second.Commit),
            (DeploymentAction.Deploy, "1.0.3", first.Commit),
            (DeploymentAction.Deploy, "1.0.2", null),
            (DeploymentAction.Deploy, "1.0.1", null),
        ]);
    }

    [Fact]
    public async Task A_version_rolled_back_from_counts_again_once_it_is_deployed_anew()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync();
        for (var number = 1; number <= 3; number++)
            await sandbox.DeployAsync(Environments.Stage, number);
        await using (var deployer = await sandbox.OpenAsync())
            await deployer.RollbackAsync(Environments.Stage, null, None);
        await sandbox.DeployAsync(Environments.Stage, 3);
        await sandbox.DeployAsync(Environments.Stage, 4);

        await using var again = await sandbox.OpenAsync();
        var outcome = await again.RollbackAsync(Environments.Stage, null, None);

        outcome.Deployment.Version.ShouldBe("1.0.3");
    }

    [Fact]
    public async Task A_version_rolled_back_from_can_still_be_named_with_to_version()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync();
        for (var number = 1; number <= 3; number++)
            await sandbox.DeployAsync(Environments.Stage, number);
        await using var deployer = await sandbox.OpenAsync();
        await deployer.RollbackAsync(Environments.Stage, null, None);

        var outcome = await deployer.RollbackAsync(Environments.Stage, "1.0.3", None);

        outcome.Deployment.Version.ShouldBe("1.0.3");
        (await sandbox.PinnedAsync(Environments.Stage)).ShouldBe(GitOpsSandbox.Image(3).Digest.Value);
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
        failure.Message.ShouldStartWith($"Nothing to roll back to: prod runs 1.0.1 ({GitOpsSandbox.Image(1).Digest.Short}), and no earlier deployment of prod with another version and image was verified healthy. The GitOps repository is unchanged.");
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
        sandbox.Text.ShouldContain("1.0.1 was never verified in dev (no Argo CD is configured to verify anything); it is the newest earlier deployment that did not fail, so the rollback goes to it.");
        sandbox.Text.ShouldNotContain("as asked");
    }

    [Fact]
    public async Task An_explicit_version_that_was_never_verified_is_restored_saying_that_the_option_asked_for_it()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync();
        await sandbox.DeployAsync(Environments.Dev, 1, sandbox.WithoutArgoCd);
        await sandbox.DeployAsync(Environments.Dev, 2);

        await using var deployer = await sandbox.OpenAsync();
        var outcome = await deployer.RollbackAsync(Environments.Dev, "1.0.1", None);

        outcome.Deployment.Version.ShouldBe("1.0.1");
        sandbox.Text.ShouldContain("1.0.1 was never verified healthy in dev; rolling back to it all the same, as --to-version asks.");
    }

    [Fact]
    public async Task The_default_rollback_never_goes_to_the_version_that_runs_now_even_under_another_digest()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync();
        await sandbox.DeployAsync(Environments.Dev, 1);
        await using (var rebuilt = await sandbox.OpenAsync())
            await rebuilt.DeployAsync(DeploymentSandbox.Request(Environments.Dev, 2) with { Version = "1.0.3" }, None);
        await sandbox.DeployAsync(Environments.Dev, 3);

        await using var deployer = await sandbox.OpenAsync();
        var outcome = await deployer.RollbackAsync(Environments.Dev, null, None);
        var again = await Should.ThrowAsync<BuildFailure>(() => deployer.RollbackAsync(Environments.Dev, "1.0.1", None));

        outcome.Deployment.Version.ShouldBe("1.0.1");
        sandbox.Text.ShouldNotContain("back to 1.0.3");
        again.Message.ShouldBe($"dev already runs 1.0.1 ({GitOpsSandbox.Image(1).Digest.Short}); there is nothing to roll back. The GitOps repository is unchanged.");
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
    public async Task Rollback_via_Argo_CD_turns_auto_sync_off_restores_the_previous_deployment_and_says_git_must_be_reverted()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync("prod");
        await sandbox.DeployAsync(Environments.Prod, 1);
        await sandbox.DeployAsync(Environments.Prod, 2);
        var head = await sandbox.GitOps.RemoteHeadAsync();

        var verdict = await ArgoCdRollback.RunAsync(sandbox.Settings, Environments.Prod, null, sandbox.GitOps.Output, None);

        verdict.Healthy.ShouldBeTrue();
        sandbox.Argo.Simulator.With("bun-api-prod", application => (application.AutoSync, application.LiveDigest)).ShouldBe((false, GitOpsSandbox.Image(1).Digest.Value));
        sandbox.Text.ShouldContain("Argo CD: auto-sync of bun-api-prod is now OFF.");
        sandbox.Text.ShouldContain("Git still pins the version you rolled back from: revert git first (./build.sh Rollback --environment prod once git is reachable), and only then turn auto-sync back on");
        (await sandbox.GitOps.RemoteHeadAsync()).ShouldBe(head);
    }

    [Fact]
    public async Task Rollback_via_Argo_CD_picks_the_history_entry_by_revision_not_by_position()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync();
        for (var number = 1; number <= 3; number++)
            await sandbox.DeployAsync(Environments.Stage, number);
        await using (var deployer = await sandbox.OpenAsync())
            await deployer.RollbackAsync(Environments.Stage, null, None);
        // Argo CD's entries: v1, v2, v3, v2 again; the entry before the last is v3, the version just rolled back from.
        var entries = sandbox.Argo.Simulator.With("bun-api-stage", application => application.HistoryIds);

        var verdict = await ArgoCdRollback.RunAsync(sandbox.Settings, Environments.Stage, null, sandbox.GitOps.Output, None);

        entries.Count.ShouldBe(4);
        verdict.Healthy.ShouldBeTrue();
        sandbox.Argo.Simulator.With("bun-api-stage", application => application.LiveDigest).ShouldBe(GitOpsSandbox.Image(1).Digest.Value);
        sandbox.Text.ShouldContain($"its history entry {entries[0]}, GitOps commit");
    }

    [Fact]
    public async Task Rollback_via_Argo_CD_refuses_when_a_server_before_3_1_keeps_auto_sync_on()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync("prod");
        await sandbox.DeployAsync(Environments.Prod, 1);
        await sandbox.DeployAsync(Environments.Prod, 2);
        sandbox.Argo.Simulator.Configure("bun-api-prod", application => application.KnowsAutomatedEnabled = false);
        var head = await sandbox.GitOps.RemoteHeadAsync();

        var failure = await Should.ThrowAsync<BuildFailure>(() => ArgoCdRollback.RunAsync(sandbox.Settings, Environments.Prod, null, sandbox.GitOps.Output, None));

        failure.ExitCode.ShouldBe(1);
        failure.Message.ShouldContain("still has auto-sync on for bun-api-prod");
        failure.Message.ShouldContain("Nothing was rolled back.");
        sandbox.Argo.Simulator.Requests.ShouldNotContain(request => request.Path.EndsWith("/rollback"));
        sandbox.Argo.Simulator.With("bun-api-prod", application => (application.AutoSync, application.LiveDigest)).ShouldBe((true, GitOpsSandbox.Image(2).Digest.Value));
        (await sandbox.GitOps.RemoteHeadAsync()).ShouldBe(head);
    }

    [Fact]
    public async Task Rollback_via_Argo_CD_needs_an_earlier_deployment()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync();
        await sandbox.DeployAsync(Environments.Stage, 1);

        var failure = await Should.ThrowAsync<BuildFailure>(() => ArgoCdRollback.RunAsync(sandbox.Settings, Environments.Stage, null, sandbox.GitOps.Output, None));

        failure.Message.ShouldStartWith("Nothing to roll back to: stage runs 1.0.1");
        sandbox.Argo.Simulator.Requests.ShouldNotContain(request => request.Method == "PATCH");
    }

    [Fact]
    public async Task Rollback_via_Argo_CD_refuses_a_version_that_its_history_no_longer_has()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync();
        await sandbox.DeployAsync(Environments.Stage, 1, sandbox.WithoutArgoCd);
        await sandbox.DeployAsync(Environments.Stage, 2);

        var failure = await Should.ThrowAsync<BuildFailure>(() => ArgoCdRollback.RunAsync(sandbox.Settings, Environments.Stage, "1.0.1", sandbox.GitOps.Output, None));

        failure.Message.ShouldStartWith($"Could not roll back bun-api-stage through Argo CD: no entry of its history deploys 1.0.1 ({GitOpsSandbox.Image(1).Digest.Short})");
        failure.Message.ShouldContain("Nothing was changed.");
        sandbox.Argo.Simulator.Requests.ShouldNotContain(request => request.Method == "PATCH" || request.Path.EndsWith("/rollback"));
    }

    [Fact]
    public async Task Rollback_via_Argo_CD_without_a_server_is_bad_input()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync();

        var failure = await Should.ThrowAsync<BuildFailure>(() => ArgoCdRollback.RunAsync(sandbox.WithoutArgoCd, Environments.Stage, null, sandbox.GitOps.Output, None));

        failure.ExitCode.ShouldBe(2);
    }
}
