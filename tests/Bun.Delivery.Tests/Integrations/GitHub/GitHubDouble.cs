using System.Collections.Concurrent;
using System.Collections.Specialized;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Bun.Delivery.Tests.Integrations.GitHub;

/// <summary>A request the double received: method, path with its query, the Authorization and API version headers, and the body.</summary>
public sealed record GitHubRequest(string Method, string PathAndQuery, string? Authorization, string? ApiVersion = null, JsonNode? Body = null)
{
    public string Path => PathAndQuery.Split('?')[0];
}

/// <summary>An answer of the double: status, JSON body, Link header and any other headers.</summary>
public sealed record GitHubAnswer(int Status, JsonNode? Json, string? Link = null, IReadOnlyDictionary<string, string>? Headers = null);

/// <summary>
/// A stateful double of GitHub's REST API on loopback, answering in GitHub's shapes and refusing what GitHub refuses:
/// every request needs <c>Authorization: Bearer|token &lt;token&gt;</c> (else 401) and <c>X-GitHub-Api-Version: 2022-11-28</c>
/// (else 400); lists are paged by <c>per_page</c> and <c>page</c> (default 30, at most 100) with a <c>Link</c> header;
/// an unknown route or resource is 404; a request body missing a required field, or with a value GitHub does not
/// take, is 422 with GitHub's validation error. <see cref="Fail"/> queues one-off answers (a 403 rate limit, say) for
/// requests that match. It serves under <c>/api/v3</c> too, where Octokit sends requests for any host but api.github.com.
/// Each area of the API lives in its own part: packages, repository (commits, checks, rules, pull requests),
/// deployments, releases, settings.
/// </summary>
public sealed partial class GitHubDouble : IAsyncDisposable
{
    public const string ApiVersion = "2022-11-28";
    private const string RestDocumentation = "https://docs.github.com/rest";

    private readonly LoopbackHttpServer _server;
    private readonly object _gate = new();
    private readonly ConcurrentQueue<GitHubRequest> _requests = new();
    private readonly List<(string Method, string PathPart, GitHubAnswer Answer)> _faults = [];
    private long _nextId = 100_000_000_000;  // beyond int: GitHub's ids are 64-bit

    private GitHubDouble()
    {
        _server = LoopbackHttpServer.Start(HandleAsync);
    }

    public Uri Url => _server.Url;
    public string Token { get; } = $"ghp_{Guid.NewGuid():N}";
    public IReadOnlyList<GitHubRequest> Requests => _requests.ToList();
    public IEnumerable<GitHubRequest> Writes => Requests.Where(request => request.Method != "GET");

    public static GitHubDouble Start() => new();

    /// <summary>Answers the next request of <paramref name="method"/> whose path contains <paramref name="pathPart"/> with <paramref name="answer"/>, once.</summary>
    public void Fail(string method, string pathPart, GitHubAnswer answer)
    {
        lock (_gate)
            _faults.Add((method, pathPart, answer));
    }

    /// <summary>A primary rate limit used up until <paramref name="reset"/>, as GitHub answers it.</summary>
    public static GitHubAnswer RateLimited(DateTimeOffset reset) => new(403,
        new JsonObject
        {
            ["message"] = "API rate limit exceeded for installation ID 1.",
            ["documentation_url"] = "https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting",
        },
        Headers: new Dictionary<string, string>
        {
            ["X-RateLimit-Limit"] = "5000", ["X-RateLimit-Remaining"] = "0", ["X-RateLimit-Used"] = "5000",
            ["X-RateLimit-Reset"] = reset.ToUnixTimeSeconds().ToString(), ["X-RateLimit-Resource"] = "core",
        });

    /// <summary>A secondary rate limit, with the <c>retry-after</c> GitHub sends.</summary>
    public static GitHubAnswer SecondaryRateLimited(int retryAfterSeconds) => new(403,
        new JsonObject
        {
            ["message"] = "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
            ["documentation_url"] = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
        },
        Headers: new Dictionary<string, string> { ["Retry-After"] = retryAfterSeconds.ToString() });

    /// <summary>A token without the permission: GitHub's 403 for an integration.</summary>
    public static GitHubAnswer NotPermitted() =>
        Error(403, "Resource not accessible by integration", RestDocumentation);

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        try
        {
            using var reader = new StreamReader(request.InputStream, Encoding.UTF8);
            var text = await reader.ReadToEndAsync();
            JsonNode? body = null;
            GitHubAnswer answer;
            try
            {
                body = text.Length == 0 ? null : JsonNode.Parse(text);
                _requests.Enqueue(new GitHubRequest(request.HttpMethod, request.RawUrl!, request.Headers["Authorization"], request.Headers["X-GitHub-Api-Version"], body));
                answer = Answer(request.HttpMethod, request.RawUrl!, request.QueryString, request.Headers, body);
            }
            catch (System.Text.Json.JsonException)
            {
                _requests.Enqueue(new GitHubRequest(request.HttpMethod, request.RawUrl!, request.Headers["Authorization"], request.Headers["X-GitHub-Api-Version"]));
                answer = Error(400, "Problems parsing JSON", RestDocumentation);
            }

            response.StatusCode = answer.Status;
            response.Headers["X-GitHub-Api-Version-Selected"] = ApiVersion;
            if (answer.Link is not null)
                response.Headers["Link"] = answer.Link;
            foreach (var (name, value) in answer.Headers ?? new Dictionary<string, string>())
                response.Headers[name] = value;
            if (answer.Json is not null)
            {
                var bytes = Encoding.UTF8.GetBytes(answer.Json.ToJsonString());
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

    private GitHubAnswer Answer(string method, string rawUrl, NameValueCollection query, NameValueCollection headers, JsonNode? body)
    {
        var path = rawUrl.Split('?')[0];
        if (path.StartsWith("/api/v3/", StringComparison.Ordinal))
            path = path["/api/v3".Length..];
        // Split before unescaping: a nested package name or a branch with '/' may arrive as one segment with %2F in it.
        var segments = path.Trim('/').Split('/').Select(Uri.UnescapeDataString).ToArray();

        if (!Authorized(headers["Authorization"]))
            return Error(401, headers["Authorization"] is null ? "Requires authentication" : "Bad credentials", RestDocumentation);
        if (headers["X-GitHub-Api-Version"] != ApiVersion)
            return Error(400, $"Unsupported 'X-GitHub-Api-Version' header '{headers["X-GitHub-Api-Version"]}'; this double serves {ApiVersion}.", RestDocumentation);

        lock (_gate)
        {
            var fault = _faults.FindIndex(fault => fault.Method == method && path.Contains(fault.PathPart, StringComparison.Ordinal));
            if (fault >= 0)
            {
                var answer = _faults[fault].Answer;
                _faults.RemoveAt(fault);
                return answer;
            }

            return RoutePackages(method, segments, query, path)
                   ?? RouteRepository(method, segments, query, path, body)
                   ?? RouteUsers(method, segments)
                   ?? Error(404, "Not Found", RestDocumentation);
        }
    }

    // The scheme is case-insensitive (Octokit sends "Token"); the token itself is compared exactly.
    private bool Authorized(string? authorization) =>
        authorization?.Split(' ', 2) is [var scheme, var token]
        && (scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase) || scheme.Equals("token", StringComparison.OrdinalIgnoreCase))
        && token == Token;

    private long NextId() => _nextId++;

    /// <summary>One page of <paramref name="items"/>, with GitHub's <c>Link</c> header; <paramref name="wrap"/> puts the page in an object (check runs).</summary>
    private GitHubAnswer Page(IReadOnlyList<JsonNode> items, NameValueCollection query, string path, Func<JsonArray, JsonNode>? wrap = null)
    {
        var perPage = Math.Clamp(int.TryParse(query["per_page"], out var size) ? size : 30, 1, 100);
        var page = Math.Max(1, int.TryParse(query["page"], out var number) ? number : 1);
        var last = Math.Max(1, (items.Count + perPage - 1) / perPage);
        var array = new JsonArray(items.Skip((page - 1) * perPage).Take(perPage).Select(item => item.DeepClone()).ToArray<JsonNode?>());

        var kept = string.Join("&", query.AllKeys.Where(key => key is not null and not "per_page" and not "page").Select(key => $"{key}={Uri.EscapeDataString(query[key]!)}"));
        string Link(int target, string rel) => $"<{Url.ToString().TrimEnd('/')}{path}?{(kept.Length > 0 ? kept + "&" : "")}per_page={perPage}&page={target}>; rel=\"{rel}\"";
        var links = new List<string>();
        if (page < last)
            links.AddRange([Link(page + 1, "next"), Link(last, "last")]);
        if (page > 1)
            links.AddRange([Link(1, "first"), Link(page - 1, "prev")]);
        return new GitHubAnswer(200, wrap is null ? array : wrap(array), links.Count == 0 ? null : string.Join(", ", links));
    }

    private static GitHubAnswer Error(int status, string message, string documentation) =>
        new(status, new JsonObject { ["message"] = message, ["documentation_url"] = documentation, ["status"] = status.ToString() });

    /// <summary>GitHub's 422: <c>{"message": "Validation Failed", "errors": [{resource, field, code}]}</c>.</summary>
    private static GitHubAnswer Invalid(string resource, string field, string code, string? message = null) => new(422, new JsonObject
    {
        ["message"] = "Validation Failed",
        ["errors"] = new JsonArray(new JsonObject { ["resource"] = resource, ["field"] = field, ["code"] = code, ["message"] = message }),
        ["documentation_url"] = RestDocumentation,
        ["status"] = "422",
    });

    private static string? Text(JsonNode? body, string field) =>
        body?[field] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static bool? Flag(JsonNode? body, string field) =>
        body?[field] is JsonValue value && value.TryGetValue<bool>(out var flag) ? flag : null;

    private static JsonObject User(string login) => new() { ["login"] = login, ["id"] = Math.Abs(login.GetHashCode()) % 1_000_000, ["type"] = "User" };

    private static string Now => DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ");
}
