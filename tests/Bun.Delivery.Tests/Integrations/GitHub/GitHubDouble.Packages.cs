using System.Collections.Specialized;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Bun.Delivery.Tests.Integrations.GitHub;

/// <summary>
/// The packages part: just the endpoints ghcr.io cleanup calls.
/// <c>GET /orgs|users/{owner}/packages/container/{name}/versions</c> (paged) and <c>DELETE …/versions/{id}</c> (204, or
/// 404 for an unknown id). An unknown package, or one asked for under the other kind of owner, is 404.
/// </summary>
public sealed partial class GitHubDouble
{
    private const string PackagesDocumentation = "https://docs.github.com/rest/packages/packages";

    private readonly Dictionary<(string Kind, string Owner, string Name), List<PackageVersion>> _packages = new();

    public int Deletes => Requests.Count(request => request.Method == "DELETE");

    /// <summary>Adds a container package version with these tags (none: untagged) to an organization's (or a user's) package; returns its id.</summary>
    public long AddVersion(string owner, string name, IReadOnlyList<string> tags, bool user = false)
    {
        lock (_gate)
        {
            var key = (user ? "users" : "orgs", owner, name);
            if (!_packages.TryGetValue(key, out var versions))
                _packages[key] = versions = [];
            var version = new PackageVersion(NextId(), $"sha256:{Convert.ToHexStringLower(SHA256.HashData(Guid.NewGuid().ToByteArray()))}", tags.ToList());
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

    private GitHubAnswer? RoutePackages(string method, string[] segments, NameValueCollection query, string path) => (method, segments) switch
    {
        ("GET", [var kind and ("orgs" or "users"), var owner, "packages", "container", var name, "versions"]) => ListVersions(kind, owner, name, query, path),
        ("DELETE", [var kind and ("orgs" or "users"), var owner, "packages", "container", var name, "versions", var id]) => DeleteVersion(kind, owner, name, id),
        _ => null,
    };

    private GitHubAnswer ListVersions(string kind, string owner, string name, NameValueCollection query, string path)
    {
        if (!_packages.TryGetValue((kind, owner, name), out var versions))
            return Error(404, "Package not found.", PackagesDocumentation);
        return Page(versions.Select(version => (JsonNode)Json(kind, owner, name, version)).ToList(), query, path);
    }

    private GitHubAnswer DeleteVersion(string kind, string owner, string name, string id)
    {
        if (!_packages.TryGetValue((kind, owner, name), out var versions))
            return Error(404, "Package not found.", PackagesDocumentation);
        var index = long.TryParse(id, out var wanted) ? versions.FindIndex(version => version.Id == wanted) : -1;
        if (index < 0)
            return Error(404, "Not Found", PackagesDocumentation);
        versions.RemoveAt(index);
        return new GitHubAnswer(204, null);
    }

    private JsonObject Json(string kind, string owner, string name, PackageVersion version) => new()
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

    private sealed record PackageVersion(long Id, string Digest, List<string> Tags);
}
