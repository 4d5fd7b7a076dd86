using System.Text.RegularExpressions;

namespace Bun.Delivery.Model.Images;

/// <summary>
/// The web address of the source repository, for the <c>org.opencontainers.image.source</c> label: in GitHub Actions
/// <c>$GITHUB_SERVER_URL/$GITHUB_REPOSITORY</c>, elsewhere the <c>origin</c> remote made into an https address. Null when
/// there is none that a browser could open (no remote, a local path): the label is then left out.
/// </summary>
public static partial class SourceUrl
{
    /// <summary><c>$GITHUB_SERVER_URL/$GITHUB_REPOSITORY</c> (e.g. <c>https://github.com/bun/bun</c>) when the runner sets both.</summary>
    public static string? FromGitHubActions(IReadOnlyDictionary<string, string> variables) =>
        variables.GetValueOrDefault("GITHUB_SERVER_URL") is { Length: > 0 } server
        && variables.GetValueOrDefault("GITHUB_REPOSITORY") is { Length: > 0 } repository
            ? $"{server.Trim().TrimEnd('/')}/{repository.Trim().Trim('/')}"
            : null;

    /// <summary>
    /// <c>https://host/path</c> from a git remote: credentials, an ssh port and a <c>.git</c> suffix are dropped, and ssh
    /// forms (<c>git@host:owner/repo.git</c>, <c>ssh://git@host/owner/repo</c>) become the host's https address.
    /// </summary>
    public static string? FromRemote(string? remote)
    {
        if (string.IsNullOrWhiteSpace(remote))
            return null;
        var text = remote.Trim();
        string scheme, host, path;
        if (text.Contains("://", StringComparison.Ordinal))
        {
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http" or "ssh" or "git") || uri.Host.Length == 0)
                return null;  // file:// and other transports have no web address
            scheme = uri.Scheme == "http" ? "http" : "https";
            // An https remote keeps its port (a self-hosted server); an ssh or git port says nothing about the web address.
            host = uri.Scheme is "https" or "http" && !uri.IsDefaultPort ? $"{uri.Host}:{uri.Port}" : uri.Host;
            path = uri.AbsolutePath;
        }
        else if (ScpLike().Match(text) is { Success: true } scp)
        {
            (scheme, host, path) = ("https", scp.Groups["host"].Value, scp.Groups["path"].Value);
        }
        else
        {
            return null;
        }

        path = path.Trim('/');
        if (path.EndsWith(".git", StringComparison.Ordinal))
            path = path[..^".git".Length];
        return path.Length == 0 ? null : $"{scheme}://{host.ToLowerInvariant()}/{path}";
    }

    // git's scp-like syntax, [user@]host:path, told from a local path by the colon before any slash (and from a drive letter by its length).
    [GeneratedRegex(@"^(?:[^@/\s]+@)?(?<host>[A-Za-z0-9.-]{2,}):(?<path>[^\s]+)$")]
    private static partial Regex ScpLike();
}
