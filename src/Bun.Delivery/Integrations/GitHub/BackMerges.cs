using Octokit;

namespace Bun.Delivery.Integrations.GitHub;

/// <summary>What a back-merge did: the pull request into main, and whether it was opened, updated or already listed the fix.</summary>
public sealed record BackMerge(int Number, string Url, string Action);

/// <summary>
/// Carries the fixes merged into a release branch to main: one pull request from the release branch into main, opened
/// the first time and updated to list each further fix, never a second one. When main already has everything the
/// release branch has, there is nothing to carry and no pull request.
/// </summary>
public sealed class BackMerges(GitHubApi api)
{
    private const string Permission = "pull-requests: write and contents: read";

    /// <returns>Null when main already has every commit of <paramref name="releaseBranch"/>.</returns>
    public async Task<BackMerge?> CarryAsync(string releaseBranch, string mainBranch, int fixNumber, CancellationToken cancellation)
    {
        var fix = await api.CallAsync($"reading pull request #{fixNumber}", Permission, () =>
            api.Client.PullRequest.Get(api.Owner, api.Name, fixNumber), cancellation);
        var line = $"- #{fix.Number} {fix.Title}";
        var open = await api.CallAsync($"finding the open back-merge of {releaseBranch}", Permission, () =>
            api.Client.PullRequest.GetAllForRepository(api.Owner, api.Name,
                new PullRequestRequest { State = ItemStateFilter.Open, Head = $"{api.Owner}:{releaseBranch}", Base = mainBranch }, new ApiOptions { PageSize = 100 }),
            cancellation);
        if (open.FirstOrDefault() is { } existing)
        {
            if (existing.Body?.Split('\n').Contains(line) == true)
                return new BackMerge(existing.Number, existing.HtmlUrl, "lists it already");
            await api.CallAsync($"adding #{fix.Number} to back-merge #{existing.Number}", Permission, () =>
                api.Client.PullRequest.Update(api.Owner, api.Name, existing.Number, new PullRequestUpdate { Body = $"{existing.Body?.TrimEnd()}\n{line}" }), cancellation);
            return new BackMerge(existing.Number, existing.HtmlUrl, "updated");
        }

        var compared = await api.CallAsync($"comparing {mainBranch} with {releaseBranch}", Permission, () =>
            api.Client.Repository.Commit.Compare(api.Owner, api.Name, mainBranch, releaseBranch), cancellation);
        if (compared.AheadBy == 0)
            return null;
        var created = await api.CallAsync($"opening the back-merge of {releaseBranch} into {mainBranch}", Permission, () =>
            api.Client.PullRequest.Create(api.Owner, api.Name, new NewPullRequest($"Back-merge {releaseBranch} into {mainBranch}", releaseBranch, mainBranch)
            {
                Body = $"Carries the fixes merged into {releaseBranch} to {mainBranch}, so that no production fix is lost:\n{line}",
            }), cancellation);
        return new BackMerge(created.Number, created.HtmlUrl, "opened");
    }
}
