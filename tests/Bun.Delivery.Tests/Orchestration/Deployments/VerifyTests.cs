using Bun.Delivery.Integrations.GitOps;
using Bun.Delivery.Model.Rules;
using Bun.Delivery.Tests.Integrations.Argo.Simulator;
using Bun.Delivery.Tests.Integrations.GitOps;
using Bun.Pipeline.Failures;

namespace Bun.Delivery.Tests.Orchestration.Deployments;

/// <summary><c>Verify --environment</c>: the verdict a deploy could not get, recorded once Argo CD answers again.</summary>
public sealed class VerifyTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Verify_after_an_unknown_verdict_records_the_verdict_of_what_runs()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync();
        await sandbox.DeployAsync(Environments.Test, 1);
        DeployTests.GoesDownAfterTheSync(sandbox.Argo.Simulator);
        await Should.ThrowAsync<BuildFailure>(() => sandbox.DeployAsync(Environments.Test, 2));
        sandbox.Argo.Simulator.BeforeAnswer = null;
        sandbox.Argo.Simulator.Unavailable = false;
        var syncs = sandbox.Argo.Simulator.Requests.Count(request => request.Path.EndsWith("/sync", StringComparison.Ordinal));

        await using var deployer = await sandbox.OpenAsync();
        var outcome = await deployer.VerifyAsync(Environments.Test, None);

        outcome.Verification.ShouldBe(Verification.Healthy);
        outcome.Deployment.Version.ShouldBe("1.0.2");
        sandbox.Argo.Simulator.Requests.Count(request => request.Path.EndsWith("/sync", StringComparison.Ordinal)).ShouldBe(syncs);
        (await sandbox.GitOps.RemoteGitAsync("log", "-1", "--format=%s%n%(trailers:key=Bun-Verifies,key=Bun-Verified)")).ShouldBe(
            $"verify bun-api 1.0.2 in test: healthy\nBun-Verifies: {outcome.Commit.Sha}\nBun-Verified: true");
        (await sandbox.HistoryAsync(Environments.Test)).Current!.Verification.ShouldBe(Verification.Healthy);
    }

    [Fact]
    public async Task Verify_syncs_first_when_Argo_CD_never_deployed_the_commit()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync();
        await sandbox.DeployAsync(Environments.Stage, 1, sandbox.WithoutArgoCd);

        await using var deployer = await sandbox.OpenAsync();
        var outcome = await deployer.VerifyAsync(Environments.Stage, None);

        outcome.Verification.ShouldBe(Verification.Healthy);
        sandbox.Argo.Simulator.Requests.ShouldContain(request => request.Path == "/api/v1/applications/bun-api-stage/sync");
        sandbox.Argo.Simulator.With("bun-api-stage", application => application.LiveDigest).ShouldBe(GitOpsSandbox.Image(1).Digest.Value);
    }

    [Fact]
    public async Task A_failed_verdict_is_recorded_and_rolls_nothing_back()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync();
        await sandbox.DeployAsync(Environments.Test, 1);
        sandbox.Argo.Simulator.Configure("bun-api-test", application => application.Behave(GitOpsSandbox.Image(2).Digest.Value, Rollout.Degraded));
        DeployTests.GoesDownAfterTheSync(sandbox.Argo.Simulator);
        await Should.ThrowAsync<BuildFailure>(() => sandbox.DeployAsync(Environments.Test, 2));
        sandbox.Argo.Simulator.BeforeAnswer = null;
        sandbox.Argo.Simulator.Unavailable = false;

        await using var deployer = await sandbox.OpenAsync();
        var failure = await Should.ThrowAsync<BuildFailure>(() => deployer.VerifyAsync(Environments.Test, None));

        failure.ExitCode.ShouldBe(1);
        failure.Message.ShouldContain("deploy bun-api 1.0.2 to test failed its verification");
        failure.Message.ShouldContain("Nothing was rolled back. To go back: ./build.sh Rollback --environment test");
        (await sandbox.PinnedAsync(Environments.Test)).ShouldBe(GitOpsSandbox.Image(2).Digest.Value);
        (await sandbox.HistoryAsync(Environments.Test)).Current!.Verification.ShouldBe(Verification.Failed);
    }

    [Fact]
    public async Task Verify_with_no_deployment_says_there_is_nothing_to_verify()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync();
        var head = await sandbox.GitOps.RemoteHeadAsync();
        await using var deployer = await sandbox.OpenAsync();

        var failure = await Should.ThrowAsync<BuildFailure>(() => deployer.VerifyAsync(Environments.Prod, None));

        failure.Message.ShouldBe("Nothing to verify: prod has no deployment in the GitOps history yet. The GitOps repository is unchanged.");
        (await sandbox.GitOps.RemoteHeadAsync()).ShouldBe(head);
    }

    [Fact]
    public async Task Verify_without_Argo_CD_is_bad_input()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync();
        await using var deployer = await sandbox.OpenAsync(sandbox.WithoutArgoCd);

        var failure = await Should.ThrowAsync<BuildFailure>(() => deployer.VerifyAsync(Environments.Stage, None));

        failure.ExitCode.ShouldBe(2);
        failure.Message.ShouldStartWith("Verify asks Argo CD: give --argocd-server");
    }
}
