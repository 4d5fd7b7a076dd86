namespace Bun.Delivery.Integrations.GitHub;

/// <summary>
/// Sends the REST API version GitHub's documentation pins (<c>X-GitHub-Api-Version</c>) with every request, which
/// Octokit 14 does not: the answers keep the shapes this code reads even when GitHub moves its default on.
/// </summary>
internal sealed class GitHubApiVersion(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    public const string Header = "X-GitHub-Api-Version";
    public const string Value = "2022-11-28";

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellation)
    {
        request.Headers.Remove(Header);
        request.Headers.Add(Header, Value);
        return base.SendAsync(request, cancellation);
    }
}
