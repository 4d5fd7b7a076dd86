using Bun.Delivery.Integrations.GitOps;
using Bun.Delivery.Model.Rules;
using Bun.Delivery.Orchestration.Deployments;
using Bun.Delivery.Tests.Integrations.Argo.Simulator;
using Bun.Delivery.Tests.Integrations.GitOps;
using Bun.Pipeline.Failures;

namespace Bun.Delivery.Tests.Orchestration.Deployments;

public sealed class PromoteTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static Promotion Release(int number) => new(Environments.Stage, Environments.Prod, "1.4.0", GitOpsSandbox.SourceCommit(number), "release/1.4.0");

    [Fact]
    public async Task Promotion_retags_the_digest_stage_verified_and_deploys_it_to_prod()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync();
        await sandbox.DeployAsync(Environments.Stage, 1);
        var retagged = new List<(PinnedImage, string)>();
        await using var deployer = await sandbox.OpenAsync();

        var outcome = await deployer.PromoteAsync(Release(1), (image, tag, _) =>
        {
            retagged.Add((image, tag));
            return Task.FromResult(true);
        }, None);

        retagged.ShouldBe([(GitOpsSandbox.Image(1), "1.4.0")]);
        outcome.Deployment.ShouldBe(new Deployment(DeploymentAction.Promote, "prod", "bun-api", GitOpsSandbox.Image(1), "1.4.0", GitOpsSandbox.SourceCommit(1), "release/1.4.0"));
        outcome.Verification.ShouldBe(Verification.Healthy);
        (await sandbox.PinnedAsync(Environments.Prod)).ShouldBe(GitOpsSandbox.Image(1).Digest.Value);
    }

    [Fact]
    public async Task Promotion_is_refused_unless_stage_runs_the_release_head()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync();
        await sandbox.DeployAsync(Environments.Stage, 1);
        var head = await sandbox.GitOps.RemoteHeadAsync();
        await using var deployer = await sandbox.OpenAsync();

        var failure = await Should.ThrowAsync<BuildFailure>(() => deployer.PromoteAsync(Release(2), NoRetag, None));

        failure.Message.ShouldBe($"stage runs {GitOpsSandbox.SourceCommit(1)[..7]}, release HEAD is {GitOpsSandbox.SourceCommit(2)[..7]}: deploy to stage first.");
        (await sandbox.GitOps.RemoteHeadAsync()).ShouldBe(head);
    }

    [Fact]
    public async Task Promotion_is_refused_when_stage_failed_to_verify_the_release_head()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync();
        sandbox.Argo.Simulator.Configure("bun-api-stage", application => application.DefaultRollout = Rollout.Degraded);
        await Should.ThrowAsync<BuildFailure>(() => sandbox.DeployAsync(Environments.Stage, 1));
        await using var deployer = await sandbox.OpenAsync();

        var failure = await Should.ThrowAsync<BuildFailure>(() => deployer.PromoteAsync(Release(1), NoRetag, None));

        failure.Message.ShouldContain("but that deployment failed its verification");
    }

    [Fact]
    public async Task A_promotion_that_fails_in_prod_is_rolled_back_to_the_previous_release()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync("prod");
        await sandbox.DeployAsync(Environments.Stage, 1);
        await using (var first = await sandbox.OpenAsync())
            await first.PromoteAsync(Release(1) with { Version = "1.3.0" }, NoRetag, None);
        await sandbox.DeployAsync(Environments.Stage, 2);
        sandbox.Argo.Simulator.Configure("bun-api-prod", application => application.Behave(GitOpsSandbox.Image(2).Digest.Value, Rollout.Degraded));
        await using var deployer = await sandbox.OpenAsync();

        var failure = await Should.ThrowAsync<BuildFailure>(() => deployer.PromoteAsync(Release(2), NoRetag, None));

        failure.Message.ShouldContain("promote bun-api 1.4.0 to prod failed its verification");
        failure.Message.ShouldContain("prod was rolled back automatically to 1.3.0");
        (await sandbox.PinnedAsync(Environments.Prod)).ShouldBe(GitOpsSandbox.Image(1).Digest.Value);
    }

    [Fact]
    public async Task Without_the_prod_application_nothing_is_retagged_and_git_is_unchanged()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync();
        await sandbox.DeployAsync(Environments.Stage, 1);
        sandbox.Argo.Simulator.RemoveApplication("bun-api-prod");
        var head = await sandbox.GitOps.RemoteHeadAsync();
        var retagged = new List<string>();
        await using var deployer = await sandbox.OpenAsync();

        var failure = await Should.ThrowAsync<BuildFailure>(() => deployer.PromoteAsync(Release(1), Recording(retagged), None));

        failure.Message.ShouldContain("Argo CD has no application bun-api-prod");
        retagged.ShouldBeEmpty();
        (await sandbox.GitOps.RemoteHeadAsync()).ShouldBe(head);
    }

    [Fact]
    public async Task With_Argo_CD_unreachable_nothing_is_retagged_and_git_is_unchanged()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync();
        await sandbox.DeployAsync(Environments.Stage, 1);
        sandbox.Argo.Simulator.Unavailable = true;
        var head = await sandbox.GitOps.RemoteHeadAsync();
        var retagged = new List<string>();
        await using var deployer = await sandbox.OpenAsync();

        var failure = await Should.ThrowAsync<BuildFailure>(() => deployer.PromoteAsync(Release(1), Recording(retagged), None));

        failure.Message.ShouldContain("Argo CD at");
        retagged.ShouldBeEmpty();
        (await sandbox.GitOps.RemoteHeadAsync()).ShouldBe(head);
    }

    [Fact]
    public async Task A_refused_release_tag_stops_the_promotion_with_git_unchanged()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync();
        await sandbox.DeployAsync(Environments.Stage, 1);
        var head = await sandbox.GitOps.RemoteHeadAsync();
        await using var deployer = await sandbox.OpenAsync();

        var failure = await Should.ThrowAsync<BuildFailure>(() => deployer.PromoteAsync(Release(1),
            (_, tag, _) => throw new BuildFailure($"Won't tag: {tag} already exists with another digest."), None));

        failure.Message.ShouldBe("Won't tag: 1.4.0 already exists with another digest.");
        (await sandbox.GitOps.RemoteHeadAsync()).ShouldBe(head);
        sandbox.Argo.Simulator.Requests.ShouldNotContain(request => request.Path == "/api/v1/applications/bun-api-prod/sync");
    }

    [Fact]
    public async Task Promoting_again_when_the_tag_already_points_at_the_digest_goes_on()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync();
        await sandbox.DeployAsync(Environments.Stage, 1);
        await using var deployer = await sandbox.OpenAsync();

        var outcome = await deployer.PromoteAsync(Release(1), (_, _, _) => Task.FromResult(false), None);

        outcome.Verification.ShouldBe(Verification.Healthy);
        sandbox.Text.ShouldContain($"1.4.0 already tags {GitOpsSandbox.Image(1).Reference}: promoting it again.");
        (await sandbox.PinnedAsync(Environments.Prod)).ShouldBe(GitOpsSandbox.Image(1).Digest.Value);
    }

    [Fact]
    public async Task Without_Argo_CD_promotion_refuses_an_unverified_stage_and_says_why_with_nothing_retagged()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync();
        await sandbox.DeployAsync(Environments.Stage, 1, sandbox.WithoutArgoCd);
        var head = await sandbox.GitOps.RemoteHeadAsync();
        var retagged = new List<string>();
        await using var deployer = await sandbox.OpenAsync(sandbox.WithoutArgoCd);

        var failure = await Should.ThrowAsync<BuildFailure>(() => deployer.PromoteAsync(Release(1), Recording(retagged), None));

        failure.Message.ShouldBe(
            $"Won't promote: stage's deployment of {GitOpsSandbox.SourceCommit(1)[..7]} was never verified, and no Argo CD is configured (--argocd-server) to verify it. " +
            "The gate of prod needs a stage deployment verified healthy: give --argocd-server and run ./build.sh Verify --environment stage first.");
        retagged.ShouldBeEmpty();
        (await sandbox.GitOps.RemoteHeadAsync()).ShouldBe(head);
    }

    [Fact]
    public async Task With_Argo_CD_a_stage_deployment_that_was_never_verified_is_refused()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync();
        await sandbox.DeployAsync(Environments.Stage, 1, sandbox.WithoutArgoCd);
        await using var deployer = await sandbox.OpenAsync();

        var failure = await Should.ThrowAsync<BuildFailure>(() => deployer.PromoteAsync(Release(1), NoRetag, None));

        failure.Message.ShouldContain("but that deployment was never verified healthy: deploy to stage again and let it verify before promoting.");
    }

    [Fact]
    public async Task A_local_image_on_stage_is_not_promoted_since_no_registry_holds_it()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync();
        await using (var local = await sandbox.OpenAsync())
            await local.DeployAsync(DeploymentSandbox.Request(Environments.Stage, 1, "release/1.4.0") with { LocalImage = true }, None);
        var retagged = new List<string>();
        await using var deployer = await sandbox.OpenAsync();

        var failure = await Should.ThrowAsync<BuildFailure>(() => deployer.PromoteAsync(Release(1), Recording(retagged), None));

        failure.Message.ShouldStartWith($"Won't promote: stage runs {GitOpsSandbox.Image(1).Reference}, an image of a local engine that no registry holds");
        retagged.ShouldBeEmpty();
    }

    private static RetagImage Recording(List<string> retagged) => (_, tag, _) =>
    {
        retagged.Add(tag);
        return Task.FromResult(true);
    };

    private static Task<bool> NoRetag(PinnedImage image, string tag, CancellationToken cancellation) => Task.FromResult(true);
}
