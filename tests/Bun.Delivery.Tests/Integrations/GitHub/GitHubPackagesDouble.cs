using System.Collections.Concurrent;
using System.Collections.Specialized;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Bun.Delivery.Tests.Integrations.GitHub;

/// <summary>A request the double received: method, path with its query, and the Authorization header.</summary>
public sealed record GitHubRequest(string Method, string PathAndQuery, string? Authorization);

/// <summary>
/// Just the GitHub REST endpoints that ghcr.io cleanup calls, on loopback, answering as GitHub does:
/// <c>GET /orgs|users/{owner}/packages/container/{name}/versions</c> (paged by <c>per_page</c> and <c>page</c>, default
/// 30, at most 100, with a <c>Link</c> header of <c>next</c>, <c>last</c>, <c>first</c> and <c>prev</c>) and
/// <c>DELETE …/versions/{id}</c> (204, or 404 for an unknown id). Every request needs <c>Authorization: Bearer|token
/// &lt;token&gt;</c>; without it, or with another token, 401 and GitHub's JSON error body. An unknown package, or one
/// asked for under the other kind of owner, is 404. It serves under <c>/api/v3</c> too, where Octokit sends requests
/// for any host but api.github.com (as for GitHub Enterprise Server).
/// </summary>
public sealed class GitHubPackagesDouble : IAsyncDisposable
{
    private const string Documentation = "https://docs.github.com/rest/packages/packages";

    private readonly LoopbackHttpServer _server;
    private readonly object _gate = new();
    private readonly Dictionary<(string Kind, string Owner, string Name), List<Version>> _packages = new();
    private readonly ConcurrentQueue<GitHubRequest> _requests = new();
    private long _nextId = 100_000_000_000;  // beyond int: GitHub's ids are 64-bit

    private GitHubPackagesDouble()
    {
        _server = LoopbackHttpServer.Start(HandleAsync);
    }

    public Uri Url => _server.Url;
    public string Token { get; } = $"ghp_{Guid.NewGuid():N}";
    public IReadOnlyList<GitHubRequest> Requests => _requests.ToList();
    public int Deletes => Requests.Count(request => request.Method == "DELETE");

    public static GitHubPackagesDouble Start() => new();

    /// <summary>Adds a container package version with these tags (none: untagged) to an organization's (or a user's) package; returns its id.</summary>
    public long AddVersion(string owner, string name, IReadOnlyList<string> tags, bool user = false)
    {
        lock (_gate)
        {
            var key = (user ? "users" : "orgs", owner, name);
            if (!_packages.TryGetValue(key, out var versions))
                _packages[key] = versions = [];
            var version = new Version(_nextId++, $"sha256:{Convert.ToHexStringLower(SHA256.HashData(Guid.NewGuid().ToByteArray()))}", tags.ToList());
            versions.Insert(0, version);  // newest first, as GitHub lists them
            return version.Id;
        }
    }

    /// <summary>The tag sets of the package's remaining versions.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Versions(string owner, string name, bool user = false)
    {
        lock (_gate)
            return _packages.TryGetValue((user ? "users" : "orgs", owner, name), out var versions) ? versions.Select(version => version.Tags).ToList() : [];
    }

    public IReadOnlyList<string> Tags(string owner, string name, bool user = false) => Versions(owner, name, user).SelectMany(tags => tags).ToList();

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        try
        {
            _requests.Enqueue(new GitHubRequest(request.HttpMethod, request.RawUrl!, request.Headers["Authorization"]));
            var (status, json, link) = Route(request.HttpMethod, request.RawUrl!, request.QueryString, request.Headers["Authorization"]);
            response.StatusCode = status;
            response.Headers["X-GitHub-Api-Version-Selected"] = "2022-11-28";
            if (link is not null)
                response.Headers["Link"] = link;
            if (json is not null)
            {
                var bytes = Encoding.UTF8.GetBytes(json.ToJsonString());
                response.ContentType = "application/json; charset=utf-8";
                response.ContentLength64 = bytes.Length;
                await response.OutputStream.WriteAsync(bytes);
            }
        }
        catch (Exception failure) when (failure is HttpListenerException or IOException or ObjectDisposedException)
        {
            // The client went away: nothing to answer.
        }
        finally
        {
            response.Close();
        }
    }

    private (int Status, JsonNode? Json, string? Link) Route(string method, string rawUrl, NameValueCollection query, string? authorization)
    {
        var path = rawUrl.Split('?')[0];
        if (path.StartsWith("/api/v3/", StringComparison.Ordinal))
            path = path["/api/v3".Length..];
        // Split before unescaping: a nested package name arrives as one segment with %2F in it.
        var segments = path.Trim('/').Split('/').Select(Uri.UnescapeDataString).ToArray();

        if (!Authorized(authorization))
            return Error(401, authorization is null ? "Requires authentication" : "Bad credentials", "https://docs.github.com/rest");

        lock (_gate)
        {
            return (method, segments) switch
            {
                ("GET", [var kind and ("orgs" or "users"), var owner, "packages", "container", var name, "versions"]) => List(kind, owner, name, query, path),
                ("DELETE", [var kind and ("orgs" or "users"), var owner, "packages", "container", var name, "versions", var id]) => Delete(kind, owner, name, id),
                _ => Error(404, "Not Found", "https://docs.github.com/rest"),
            };
        }
    }

    // The scheme is case-insensitive (Octokit sends "Token"); the token itself is compared exactly.
    private bool Authorized(string? authorization) =>
        authorization?.Split(' ', 2) is [var scheme, var token]
        && (scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase) || scheme.Equals("token", StringComparison.OrdinalIgnoreCase))
        && token == Token;

    private (int, JsonNode?, string?) List(string kind, string owner, string name, NameValueCollection query, string path)
    {
        if (!_packages.TryGetValue((kind, owner, name), out var versions))
            return Error(404, "Package not found.", Documentation);
        var perPage = Math.Clamp(int.TryParse(query["per_page"], out var size) ? size : 30, 1, 100);
        var page = Math.Max(1, int.TryParse(query["page"], out var number) ? number : 1);
        var last = Math.Max(1, (versions.Count + perPage - 1) / perPage);
        var items = new JsonArray(versions.Skip((page - 1) * perPage).Take(perPage).Select(version => Json(kind, owner, name, version)).ToArray<JsonNode?>());

        string Page(int target, string rel) => $"<{Url.ToString().TrimEnd('/')}{path}?per_page={perPage}&page={target}>; rel=\"{rel}\"";
        var links = new List<string>();
        if (page < last)
            links.AddRange([Page(page + 1, "next"), Page(last, "last")]);
        if (page > 1)
            links.AddRange([Page(1, "first"), Page(page - 1, "prev")]);
        return (200, items, links.Count == 0 ? null : string.Join(", ", links));
    }

    private (int, JsonNode?, string?) Delete(string kind, string owner, string name, string id)
    {
        if (!_packages.TryGetValue((kind, owner, name), out var versions))
            return Error(404, "Package not found.", Documentation);
        var index = long.TryParse(id, out var wanted) ? versions.FindIndex(version => version.Id == wanted) : -1;
        if (index < 0)
            return Error(404, "Not Found", Documentation);
        versions.RemoveAt(index);
        return (204, null, null);
    }

    private JsonObject Json(string kind, string owner, string name, Version version) => new()
    {
        ["id"] = version.Id,
        ["name"] = version.Digest,
        ["url"] = $"{Url}{kind}/{owner}/packages/container/{Uri.EscapeDataString(name)}/versions/{version.Id}",
        ["package_html_url"] = $"https://github.com/{kind}/{owner}/packages/container/package/{Uri.EscapeDataString(name)}",
        ["created_at"] = "2026-01-05T10:00:00Z",
        ["updated_at"] = "2026-01-05T10:00:00Z",
        ["html_url"] = $"https://github.com/{kind}/{owner}/packages/container/{Uri.EscapeDataString(name)}/{version.Id}",
        ["metadata"] = new JsonObject
        {
            ["package_type"] = "container",
            ["container"] = new JsonObject { ["tags"] = new JsonArray(version.Tags.Select(tag => (JsonNode?)tag).ToArray()) },
        },
    };

    private static (int, JsonNode?, string?) Error(int status, string message, string documentation) =>
        (status, new JsonObject { ["message"] = message, ["documentation_url"] = documentation, ["status"] = status.ToString() }, null);

    private sealed record Version(long Id, string Digest, List<string> Tags);
}
