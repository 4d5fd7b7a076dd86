using Bun.Delivery.Integrations.GitHub;
using Bun.Delivery.Orchestration.GitHub;
using Bun.Pipeline.Failures;
using Bun.Pipeline.Output;

namespace Bun.Delivery.Orchestration.Deployments;

/// <summary>
/// DESIGN §9 step 4, after prod is verified: the tag and the GitHub release of the version (<see cref="GitHubReleases"/>).
/// Prod stays as deployed when this fails; the failure says so, and running PromoteProd again only finishes the release.
/// </summary>
public sealed class GitHubReleasePublisher(GitHubAccess access, BuildOutput output)
{
    public async Task PublishAsync(Promotion promotion, CancellationToken cancellation)
    {
        try
        {
            var api = await access.OpenAsync($"Publishing the release v{promotion.Version}", "contents: write", output, cancellation);
            var published = await new GitHubReleases(api).PublishAsync(promotion.Version, promotion.ReleaseHead, promotion.SourceRef, GitHubProductionGate.CutFrom, cancellation);
            output.Success(published.ReleaseCreated
                ? $"Released {published.Tag}{(published.TagCreated ? "" : " (the tag was there already)")}: {published.Url}"
                : $"{published.Tag} is released already: {published.Url}; nothing changed.");
        }
        catch (BuildFailure failure)
        {
            throw new BuildFailure(
                $"prod runs {promotion.Version}, verified; only its release on GitHub is missing: {failure.Message}\n" +
                "Running PromoteProd again finishes it: the promotion and the release are both safe to repeat.");
        }
    }
}
