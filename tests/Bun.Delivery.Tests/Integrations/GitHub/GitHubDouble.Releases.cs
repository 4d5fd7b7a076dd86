using System.Collections.Specialized;
using System.Text.Json.Nodes;

namespace Bun.Delivery.Tests.Integrations.GitHub;

/// <summary>
/// The releases part: tags as git refs (<c>GET/POST …/git/refs</c>; an existing ref is 422) and releases
/// (<c>GET …/releases/tags/{tag}</c>, <c>…/releases/latest</c>, <c>POST …/releases</c>, which creates a missing tag at
/// <c>target_commitish</c>; a second release of a tag is 422 <c>already_exists</c>).
/// </summary>
public sealed partial class GitHubDouble
{
    private readonly Dictionary<string, string> _tags = new();
    private readonly List<JsonObject> _releases = [];

    /// <summary>The commit a tag points to, or null.</summary>
    public string? Tag(string tag)
    {
        lock (_gate)
            return _tags.GetValueOrDefault(tag);
    }

    public IReadOnlyList<JsonObject> Releases()
    {
        lock (_gate)
            return _releases.Select(release => (JsonObject)release.DeepClone()).ToList();
    }

    private GitHubAnswer? RouteReleases(string method, string[] rest, NameValueCollection query, string path, JsonNode? body) => (method, rest) switch
    {
        ("GET", ["git", "ref" or "refs", "tags", .. var tag]) => _tags.TryGetValue(string.Join('/', tag), out var sha)
            ? new GitHubAnswer(200, TagJson(string.Join('/', tag), sha))
            : Error(404, "Not Found", RestDocumentation),
        ("POST", ["git", "refs"]) => CreateRef(body),
        ("GET", ["releases", "tags", var tag]) => _releases.FirstOrDefault(release => (string?)release["tag_name"] == tag) is { } release
            ? new GitHubAnswer(200, release.DeepClone())
            : Error(404, "Not Found", RestDocumentation),
        ("GET", ["releases", "latest"]) => _releases.LastOrDefault() is { } latest ? new GitHubAnswer(200, latest.DeepClone()) : Error(404, "Not Found", RestDocumentation),
        ("GET", ["releases"]) => Page(_releases.AsEnumerable().Reverse().Cast<JsonNode>().ToList(), query, path),
        ("POST", ["releases"]) => CreateRelease(body),
        _ => null,
    };

    private GitHubAnswer CreateRef(JsonNode? body)
    {
        if (Text(body, "ref") is not { } reference || !reference.StartsWith("refs/", StringComparison.Ordinal) || reference.Count(c => c == '/') < 2)
            return new GitHubAnswer(422, new JsonObject { ["message"] = "Reference name is not valid: it must start with 'refs' and have at least two slashes.", ["status"] = "422" });
        if (Text(body, "sha") is not { } sha || Resolve(sha) is null)
            return new GitHubAnswer(422, new JsonObject { ["message"] = "Object does not exist", ["status"] = "422" });
        if (!reference.StartsWith("refs/tags/", StringComparison.Ordinal))
            return Error(422, "This double keeps tags only.", RestDocumentation);
        var tag = reference["refs/tags/".Length..];
        if (_tags.ContainsKey(tag))
            return new GitHubAnswer(422, new JsonObject { ["message"] = "Reference already exists", ["status"] = "422" });
        _tags[tag] = sha;
        return new GitHubAnswer(201, TagJson(tag, sha));
    }

    private GitHubAnswer CreateRelease(JsonNode? body)
    {
        if (Text(body, "tag_name") is not { } tag)
            return Invalid("Release", "tag_name", "missing_field");
        if (_releases.Any(release => (string?)release["tag_name"] == tag))
            return Invalid("Release", "tag_name", "already_exists");
        if (!_tags.ContainsKey(tag))
        {
            if (Resolve(Text(body, "target_commitish") ?? "main") is not { } target)
                return Invalid("Release", "target_commitish", "invalid");
            _tags[tag] = target;
        }

        var id = NextId();
        var release = new JsonObject
        {
            ["id"] = id, ["tag_name"] = tag, ["target_commitish"] = Text(body, "target_commitish") ?? "main", ["name"] = Text(body, "name") ?? tag,
            ["body"] = Text(body, "body") ?? "", ["draft"] = Flag(body, "draft") ?? false, ["prerelease"] = Flag(body, "prerelease") ?? false,
            ["created_at"] = Now, ["published_at"] = Now, ["author"] = User("bun-build"),
            ["url"] = $"{Url}repos/{Owner}/{Name}/releases/{id}", ["html_url"] = $"https://github.com/{Owner}/{Name}/releases/tag/{tag}",
            ["assets"] = new JsonArray(),
        };
        _releases.Add(release);
        return new GitHubAnswer(201, release.DeepClone());
    }

    private JsonObject TagJson(string tag, string sha) => new()
    {
        ["ref"] = $"refs/tags/{tag}", ["url"] = $"{Url}repos/{Owner}/{Name}/git/refs/tags/{tag}",
        ["object"] = new JsonObject { ["sha"] = sha, ["type"] = "commit", ["url"] = $"{Url}repos/{Owner}/{Name}/git/commits/{sha}" },
    };
}
