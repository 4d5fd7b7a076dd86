using System.Text.Json.Nodes;
using Bun.Delivery.Integrations.GitOps;
using Bun.Delivery.Integrations.Registry;
using Bun.Delivery.Model.Context;
using Bun.Delivery.Model.Images;
using Bun.Delivery.Model.Rules;
using Bun.Pipeline.Failures;
using Bun.Pipeline.Output;
using Bun.Pipeline.Parameters;

namespace Bun.Delivery.Orchestration.Deployments;

/// <summary>
/// What the build's deploy targets do (build/Build.Deploy.cs), one call each, so that the build class stays a list of
/// rules: deploy the image PushImage recorded in this run, promote stage's digest to prod, roll back through git or Argo
/// CD, show an environment's history.
/// </summary>
public sealed class DeploymentActions(DeploymentSettings settings, BuildOutput output)
{
    /// <summary>
    /// Deploys the image that PushImage recorded in <paramref name="pushedImage"/> (its digest, its tag as the version) with
    /// the context's commit and branch. The record must be this build's: its tag is the one the context gives.
    /// </summary>
    public async Task DeployPushedImageAsync(DeliveryEnvironment environment, DeliveryContext context, AbsolutePath pushedImage, CancellationToken cancellation)
    {
        var image = await ReadPushedImageAsync(environment, context, pushedImage, cancellation);
        if (image.Local && settings.GitOps.Repository is not null)
            throw new BuildFailure(
                $"Won't deploy to {environment}: {image.Repository}:{image.Tag} stayed in the local engine (no --registry), and --gitops-repo names a " +
                "repository that a cluster reads, which could not pull it. Give --registry, or leave out --gitops-repo to use the embedded repository.");
        await DeployAsync(environment, context, PinnedImage.Parse(image.PinnedReference), image.Tag, cancellation, image.Local);
    }

    /// <summary>
    /// Deploys an image handed over by reference (<c>--image repository@sha256:…</c>, e.g. a workflow's build job output)
    /// instead of the record: its version is the tag the context gives, which is the tag PushImage pushed it with.
    /// </summary>
    public Task DeployImageAsync(DeliveryEnvironment environment, DeliveryContext context, string reference, CancellationToken cancellation) =>
        DeployAsync(environment, context, PinnedImage.Parse(reference), ImageTags.For(context).Value, cancellation);

    /// <summary>Refuses a malformed <c>--image</c> (a tag instead of a digest, say) as bad input, before anything runs.</summary>
    public static void CheckHandedOverImage(string reference) => PinnedImage.Parse(reference);

    private async Task DeployAsync(DeliveryEnvironment environment, DeliveryContext context, PinnedImage image, string version, CancellationToken cancellation, bool localImage = false)
    {
        await using var deployer = await Deployer.OpenAsync(settings, output, cancellation);
        await deployer.DeployAsync(new DeploymentRequest(environment, image, version, context.Commit, context.Branch.Name, localImage), cancellation);
    }

    /// <summary>
    /// Promotes the release that the table's source of <paramref name="environment"/> runs (stage, for prod) to it (DESIGN §9):
    /// the source's digest is tagged as the release version in its registry.
    /// </summary>
    public async Task PromoteAsync(DeliveryEnvironment environment, EnvironmentTable table, DeliveryContext context, RegistryCredentials? registryLogin,
        CancellationToken cancellation)
    {
        var source = table.PromotionSource(environment);
        var version = context.Version
                      ?? throw BuildFailure.BadInput($"A promotion to {environment} promotes a release: run it on release/x.y.z; this is {context.Branch}.");
        var promotion = new Promotion(source, environment, version, context.Commit, context.Branch.Name);
        DeploymentOutcome outcome;
        await using (var deployer = await Deployer.OpenAsync(settings, output, cancellation))
            outcome = await deployer.PromoteAsync(promotion, Retag(registryLogin), cancellation);
        if (settings.AfterVerifiedPromotion is not { } release)
            return;
        if (outcome.Verification == Verification.Healthy)
            await release(promotion, cancellation);
        else
            output.Notice($"{environment}'s deployment of {version} was not verified healthy: no tag or release is made for it.");
    }

    /// <summary><c>Rollback --environment &lt;env&gt; [--to-version &lt;v&gt;] [--via git|argocd|rollouts]</c>.</summary>
    public async Task RollbackAsync(DeliveryEnvironment environment, string? toVersion, RollbackVia via, CancellationToken cancellation)
    {
        if (via == RollbackVia.Argocd)
        {
            await ArgoCdRollback.RunAsync(settings, environment, toVersion, output, cancellation);
            return;
        }

        await using var deployer = await Deployer.OpenAsync(settings, output, cancellation);
        await deployer.RollbackAsync(environment, toVersion, cancellation, abortRollout: via == RollbackVia.Rollouts);
    }

    /// <summary><c>Verify --environment &lt;env&gt;</c>: verifies what the environment runs now and records the verdict.</summary>
    public async Task VerifyAsync(DeliveryEnvironment environment, CancellationToken cancellation)
    {
        await using var deployer = await Deployer.OpenAsync(settings, output, cancellation);
        await deployer.VerifyAsync(environment, cancellation);
    }

    /// <summary>
    /// <c>History --environment &lt;env&gt; [--json]</c>: read from git alone, so it works while Argo CD is down. With
    /// <paramref name="json"/> the document goes there instead of the table.
    /// </summary>
    public async Task HistoryAsync(DeliveryEnvironment environment, Action<JsonObject>? json, CancellationToken cancellation)
    {
        await using var deployer = await Deployer.OpenAsync(settings with { ArgoCd = null }, output, cancellation);
        HistoryReport.Write(await deployer.HistoryAsync(environment, cancellation), deployer.GitOps.Location, output, json);
    }

    /// <summary>Tags an image in its own registry, by digest, as an immutable release tag: the registry's part of a promotion.</summary>
    public RetagImage Retag(RegistryCredentials? registryLogin) => async (image, tag, cancellation) =>
    {
        using var registry = new RegistryClient(ImageRepository.FromName(image.Repository), registryLogin, output);
        return await registry.TagReleaseAsync(image.Digest, new ImageTag(tag), cancellation);
    };

    private async Task<PushedImage> ReadPushedImageAsync(DeliveryEnvironment environment, DeliveryContext context, AbsolutePath path, CancellationToken cancellation)
    {
        var shown = Path.GetRelativePath(settings.GitOps.RootDirectory, path);
        var image = await PushedImage.ReadAsync(path, cancellation)
                    ?? throw new BuildFailure(
                        $"Nothing to deploy to {environment}: PushImage recorded no image in {shown}. " +
                        "Let DockerImage and PushImage run in this build (no --skip for them), or hand an image over with --image.");
        var expected = ImageTags.For(context).Value;
        return image.Tag == expected
            ? image
            : throw new BuildFailure(
                $"Won't deploy to {environment}: {shown} records {image.Repository}:{image.Tag}, but this build is {expected} " +
                $"({context.Branch} at {context.Commit[..Math.Min(7, context.Commit.Length)]}). Let PushImage run in this build (no --skip PushImage).");
    }
}
