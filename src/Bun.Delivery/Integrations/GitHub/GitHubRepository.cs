using System.Text.RegularExpressions;
using Bun.Pipeline.Failures;

namespace Bun.Delivery.Integrations.GitHub;

/// <summary>A repository on GitHub, <c>owner/name</c>: from <c>GITHUB_REPOSITORY</c> in Actions, from the <c>origin</c> remote on a laptop.</summary>
public sealed partial record GitHubRepository(string Owner, string Name)
{
    /// <summary><c>owner/name</c>, as GitHub Actions sets <c>GITHUB_REPOSITORY</c>.</summary>
    public static GitHubRepository Parse(string slug, string source) =>
        slug.Split('/') is [{ Length: > 0 } owner, { Length: > 0 } name]
            ? new GitHubRepository(owner, name)
            : throw BuildFailure.BadInput($"{source} is '{slug}', which is not owner/name; name the GitHub repository as owner/name, e.g. bun/bun.");

    /// <summary>
    /// The repository a remote points to: <c>https://host/owner/name(.git)</c>, <c>git@host:owner/name(.git)</c> or
    /// <c>ssh://git@host/owner/name</c>; null when the address is not one of those (a local path, say).
    /// </summary>
    public static GitHubRepository? FromRemoteUrl(string url) =>
        RemotePattern().Match(url.Trim()) is { Success: true } match
            ? new GitHubRepository(match.Groups["owner"].Value, match.Groups["name"].Value)
            : null;

    public override string ToString() => $"{Owner}/{Name}";

    [GeneratedRegex(@"^(?:(?:https?|ssh|git)://(?:[^@/]+@)?[^/]+(?::\d+)?/|[^@/\s]+@[^:/\s]+:)(?<owner>[^/\s]+)/(?<name>[^/\s]+?)(?:\.git)?/?$")]
    private static partial Regex RemotePattern();
}
