using Bun.Delivery.Integrations.GitOps;
using Bun.Delivery.Model.Rules;

namespace Bun.Delivery.Orchestration.Deployments;

/// <summary>A deployment to make: the pushed image by digest and where it came from.</summary>
/// <param name="Version">The image's tag, e.g. <c>main-1a2b3c4</c> or <c>1.4.0-rc.1a2b3c4</c>.</param>
/// <param name="SourceCommit">The full sha of the application commit the image was built from.</param>
/// <param name="SourceRef">The branch it was built from, e.g. <c>release/1.4.0</c>.</param>
public sealed record DeploymentRequest(DeliveryEnvironment Environment, PinnedImage Image, string Version, string SourceCommit, string SourceRef);

/// <summary>A promotion of the release that <paramref name="From"/> runs to <paramref name="To"/>, stage to prod in Bun's table (DESIGN §9).</summary>
/// <param name="From">The environment whose verified image is promoted: the table's <c>PromotedFrom</c> of <paramref name="To"/>.</param>
/// <param name="Version">The release version, <c>1.4.0</c>: the tag the source digest gets.</param>
/// <param name="ReleaseHead">The full sha of the release branch's HEAD, which the source must run.</param>
/// <param name="SourceRef">The release branch, <c>release/1.4.0</c>.</param>
public sealed record Promotion(DeliveryEnvironment From, DeliveryEnvironment To, string Version, string ReleaseHead, string SourceRef);

/// <summary>
/// Tags an image, by digest and without rebuilding it, as the release <paramref name="tag"/>: the registry's part of a
/// promotion. True when it tagged it now, false when the tag already pointed at that digest; a tag on another digest is
/// refused, since release tags are immutable.
/// </summary>
public delegate Task<bool> RetagImage(PinnedImage image, string tag, CancellationToken cancellation);

/// <summary>What a deployment left behind: the GitOps commit and whether it was seen healthy.</summary>
public sealed record DeploymentOutcome(Deployment Deployment, GitOpsCommit Commit, Verification Verification);
