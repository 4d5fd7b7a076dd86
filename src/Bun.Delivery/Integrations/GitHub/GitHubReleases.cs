using System.Text;
using Bun.Pipeline.Failures;
using Octokit;

namespace Bun.Delivery.Integrations.GitHub;

/// <summary>What publishing a release did: its address, and whether the tag and the release were made now or were there already.</summary>
public sealed record PublishedRelease(string Tag, string Url, bool TagCreated, bool ReleaseCreated);

/// <summary>
/// DESIGN §9 step 4: the tag <c>vX.Y.Z</c> on the release HEAD and a GitHub release whose notes list the pull requests
/// merged since the previous release (all merged ones into main and the release branch for the first). Idempotent: a
/// tag and release already there are left as they are, and a tag on another commit is refused, since release tags never move.
/// </summary>
public sealed class GitHubReleases(GitHubApi api)
{
    private const string Permission = "contents: write";

    public async Task<PublishedRelease> PublishAsync(string version, string head, string releaseBranch, string mainBranch, CancellationToken cancellation)
    {
        var tag = $"v{version}";
        var existing = await api.FindAsync($"reading the tag {tag}", Permission, () => api.Client.Git.Reference.Get(api.Owner, api.Name, $"tags/{tag}"), cancellation);
        if (existing is not null && existing.Object.Sha != head)
            throw new BuildFailure(
                $"The tag {tag} already points at {existing.Object.Sha[..7]}, not at the release HEAD {head[..7]}: release tags never move. " +
                $"Delete the tag on GitHub if it is a mistake, or release a new version.");
        if (existing is null)
            await api.CallAsync($"tagging {head[..7]} as {tag}", Permission, () =>
                api.Client.Git.Reference.Create(api.Owner, api.Name, new NewReference($"refs/tags/{tag}", head)), cancellation);

        if (await api.FindAsync($"reading the release {tag}", Permission, () => api.Client.Repository.Release.Get(api.Owner, api.Name, tag), cancellation) is { } release)
            return new PublishedRelease(tag, release.HtmlUrl, existing is null, ReleaseCreated: false);

        var previous = await api.FindAsync("reading the latest release", Permission, () => api.Client.Repository.Release.GetLatest(api.Owner, api.Name), cancellation);
        var notes = Notes(await MergedSinceAsync(previous?.TagName, head, releaseBranch, mainBranch, cancellation), previous?.TagName, tag);
        var created = await api.CallAsync($"creating the release {tag}", Permission, () =>
            api.Client.Repository.Release.Create(api.Owner, api.Name, new NewRelease(tag) { Name = tag, Body = notes, TargetCommitish = head, Draft = false, Prerelease = false }),
            cancellation);
        return new PublishedRelease(tag, created.HtmlUrl, existing is null, ReleaseCreated: true);
    }

    private async Task<IReadOnlyList<(int Number, string Title, string Author)>> MergedSinceAsync(
        string? previousTag, string head, string releaseBranch, string mainBranch, CancellationToken cancellation)
    {
        if (previousTag is null)
        {
            var merged = new List<(int, string, string)>();
            foreach (var @base in new[] { mainBranch, releaseBranch })
            {
                var pulls = await api.CallAsync($"listing the pull requests merged into {@base}", Permission, () =>
                    api.Client.PullRequest.GetAllForRepository(api.Owner, api.Name, new PullRequestRequest { State = ItemStateFilter.Closed, Base = @base }, new ApiOptions { PageSize = 100 }),
                    cancellation);
                merged.AddRange(pulls.Where(pull => pull.MergedAt is not null).Select(pull => (pull.Number, pull.Title, pull.User.Login)));
            }

            return merged.DistinctBy(pull => pull.Item1).OrderBy(pull => pull.Item1).ToList();
        }

        var compared = await api.CallAsync($"comparing {previousTag} with {head[..7]}", Permission, () =>
            api.Client.Repository.Commit.Compare(api.Owner, api.Name, previousTag, head, new ApiOptions { PageSize = 100 }), cancellation);
        var since = new Dictionary<int, (int, string, string)>();
        foreach (var commit in compared.Commits)
        {
            var pulls = await api.CallAsync($"finding the pull request of {commit.Sha[..7]}", Permission, () =>
                api.Client.Repository.Commit.PullRequests(api.Owner, api.Name, commit.Sha), cancellation);
            foreach (var pull in pulls.Where(pull => pull.MergedAt is not null))
                since.TryAdd(pull.Number, (pull.Number, pull.Title, pull.User.Login));
        }

        return since.Values.OrderBy(pull => pull.Item1).ToList();
    }

    private static string Notes(IReadOnlyList<(int Number, string Title, string Author)> pulls, string? previousTag, string tag)
    {
        var notes = new StringBuilder("## What's changed\n\n");
        foreach (var (number, title, author) in pulls)
            notes.Append($"- {title} (#{number}) by @{author}\n");
        if (pulls.Count == 0)
            notes.Append("No pull requests were merged since the previous release.\n");
        notes.Append(previousTag is null ? $"\nThe first release.\n" : $"\n**Full changes**: {previousTag}...{tag}\n");
        return notes.ToString();
    }
}
