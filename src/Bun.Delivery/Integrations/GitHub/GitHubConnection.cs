using Bun.Pipeline.Failures;

namespace Bun.Delivery.Integrations.GitHub;

/// <summary>
/// Where GitHub's REST API is served and the token it is called with: api.github.com by default, a GitHub Enterprise
/// Server's <c>https://&lt;host&gt;/api/v3</c> (what GitHub Actions puts in <c>GITHUB_API_URL</c>), or a loopback double.
/// The token is masked in all output and never part of a message.
/// </summary>
public sealed record GitHubConnection(Uri ApiUrl, string Token)
{
    public static Uri DefaultApiUrl { get; } = new("https://api.github.com/");

    /// <summary>From the build's <c>--github-api-url</c> (default api.github.com) and a token, which <paramref name="why"/> needs.</summary>
    public static GitHubConnection From(string? apiUrl, string? token, string why)
    {
        if (string.IsNullOrEmpty(token))
            throw BuildFailure.BadInput(why);
        if (string.IsNullOrWhiteSpace(apiUrl))
            return new GitHubConnection(DefaultApiUrl, token);
        return Uri.TryCreate(apiUrl.Trim(), UriKind.Absolute, out var url) && url.Scheme is "https" or "http"
            ? new GitHubConnection(url, token)
            : throw BuildFailure.BadInput(
                $"--github-api-url '{apiUrl}' is not an http(s) address; give GitHub's REST API root, e.g. https://api.github.com or https://github.example.com/api/v3.");
    }

    public override string ToString() => $"{ApiUrl} (token ***)";
}
