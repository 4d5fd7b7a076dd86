using Bun.Delivery.Integrations.GitOps;
using Bun.Delivery.Model.Rules;
using Bun.Delivery.Orchestration.Deployments;
using Bun.Delivery.Tests.Integrations.Argo.Simulator;
using Bun.Delivery.Tests.Integrations.GitOps;
using Bun.Pipeline.Failures;

namespace Bun.Delivery.Tests.Orchestration.Deployments;

/// <summary><c>Rollback --via rollouts</c>: abort the Rollout through Argo CD, then the GitOps rollback commit, then verify; a refusal changes nothing.</summary>
public sealed class RollbackViaRolloutsTests
{
    private static readonly string Good = GitOpsSandbox.Image(1).Digest.Value;
    private static readonly string Bad = GitOpsSandbox.Image(2).Digest.Value;

    [Theory]
    [InlineData(true, "/resource/actions/v2")]
    [InlineData(false, "/resource/actions")]
    public async Task A_canary_stuck_in_its_pause_is_aborted_then_rolled_back_through_git(bool actionsV2, string endpoint)
    {
        await using var sandbox = await StuckCanaryAsync();
        sandbox.Argo.Simulator.ActionsV2 = actionsV2;

        await using var deployer = await sandbox.OpenAsync();
        var outcome = await deployer.RollbackAsync(Environments.Stage, null, CancellationToken.None, abortRollout: true);

        outcome.Verification.ShouldBe(Verification.Healthy);
        (await sandbox.PinnedAsync(Environments.Stage)).ShouldBe(Good);
        var requests = sandbox.Argo.Simulator.Requests.ToList();
        var abort = requests.FindLastIndex(request => request.Method == "POST" && request.Path == $"/api/v1/applications/bun-api-stage{endpoint}");
        abort.ShouldBeGreaterThan(0);
        requests.FindLastIndex(request => request.Path.EndsWith("/sync")).ShouldBeGreaterThan(abort, "the rollback's sync comes after the abort");
        sandbox.Argo.Simulator.WithRollout("bun-api-stage", rollout => (rollout.StableDigest, rollout.FullyPromoted, rollout.Aborted)).ShouldBe((Good, true, false));
        sandbox.Text.ShouldContain("Aborted Rollout bun-stage/bun-api in bun-api-stage through Argo CD");
    }

    [Fact]
    public async Task A_Rollout_that_is_fully_promoted_has_no_abort_and_nothing_changes()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync();
        sandbox.Argo.Simulator.AddRollout("bun-api-stage");
        await sandbox.DeployAsync(Environments.Stage, 1);
        await sandbox.DeployAsync(Environments.Stage, 2);
        var head = await sandbox.GitOps.RemoteHeadAsync();

        await using var deployer = await sandbox.OpenAsync();
        var failure = await Should.ThrowAsync<BuildFailure>(() => deployer.RollbackAsync(Environments.Stage, null, CancellationToken.None, abortRollout: true));

        failure.Message.ShouldStartWith("Could not run abort on Rollout bun-stage/bun-api in bun-api-stage: Argo CD has the action disabled");
        failure.Message.ShouldContain("Nothing was changed. Roll back through git instead: ./build.sh Rollback --environment stage");
        (await sandbox.GitOps.RemoteHeadAsync()).ShouldBe(head);
        (await sandbox.PinnedAsync(Environments.Stage)).ShouldBe(Bad);
    }

    [Fact]
    public async Task An_application_without_a_Rollout_is_refused_and_nothing_changes()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync();
        await sandbox.DeployAsync(Environments.Dev, 1);
        await sandbox.DeployAsync(Environments.Dev, 2);
        var head = await sandbox.GitOps.RemoteHeadAsync();

        await using var deployer = await sandbox.OpenAsync();
        var failure = await Should.ThrowAsync<BuildFailure>(() => deployer.RollbackAsync(Environments.Dev, null, CancellationToken.None, abortRollout: true));

        failure.Message.ShouldStartWith("Could not read the live Rollout bun-dev/bun-api of bun-api-dev: the application bun-api-dev has no Rollout bun-dev/bun-api. It has: Deployment");
        failure.Message.ShouldContain("Nothing was changed.");
        (await sandbox.GitOps.RemoteHeadAsync()).ShouldBe(head);
    }

    [Fact]
    public async Task Without_Argo_CD_it_is_bad_input()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync();
        await using var deployer = await sandbox.OpenAsync(sandbox.WithoutArgoCd);

        var failure = await Should.ThrowAsync<BuildFailure>(() => deployer.RollbackAsync(Environments.Stage, null, CancellationToken.None, abortRollout: true));

        failure.ExitCode.ShouldBe(2);
        failure.Message.ShouldContain("Rollback --via rollouts aborts the Rollout through Argo CD: give --argocd-server");
    }

    // v1 verified in stage, then v2's canary held at its 20% pause until the deploy times out: stage keeps v2 pinned (no automatic rollback there).
    private static async Task<DeploymentSandbox> StuckCanaryAsync()
    {
        var sandbox = await DeploymentSandbox.CreateAsync();
        sandbox.Argo.Simulator.AddRollout("bun-api-stage", [CanaryStep.SetWeight(20), CanaryStep.Pause(CanaryStep.UntilResumed), CanaryStep.SetWeight(100)]);
        await sandbox.DeployAsync(Environments.Stage, 1);
        await Should.ThrowAsync<BuildFailure>(() => sandbox.DeployAsync(Environments.Stage, 2, sandbox.Settings with { Timeout = TimeSpan.FromMilliseconds(500) }));
        sandbox.Argo.Simulator.WithRollout("bun-api-stage", rollout => (rollout.CurrentDigest, rollout.Weight)).ShouldBe((Bad, 20));
        return sandbox;
    }
}
