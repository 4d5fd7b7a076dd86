using System.Collections.Concurrent;
using System.Collections.Specialized;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Bun.Delivery.Tests.Integrations.Argo.Simulator;

/// <summary>A request the simulator received, for tests that check what the client sent.</summary>
public sealed record SimulatedRequest(string Method, string Path, string Body, string? Authorization);

/// <summary>
/// An in-process Argo CD API server on loopback, faithful to the behaviour Bun relies on: sessions and bearer tokens,
/// the gRPC gateway's <c>{error, code, message}</c> errors, applications with auto-sync on or off, the operation
/// lifecycle, history, rollback refused while auto-sync is on, "another operation is already in progress", sync
/// windows, and health that settles, flickers or degrades. Applications read their manifests from a real git
/// repository. It refuses what the real API refuses.
/// </summary>
public sealed partial class ArgoCdSimulator : IAsyncDisposable
{
    private readonly LoopbackHttpServer _server;
    private readonly object _gate = new();
    private readonly Dictionary<string, SimulatedApplication> _applications = new();
    private readonly Dictionary<string, GitRevisions> _repositories = new();
    private readonly ConcurrentDictionary<string, string> _tokens = new();
    private readonly ConcurrentQueue<SimulatedRequest> _requests = new();

    private ArgoCdSimulator()
    {
        _tokens[AccountToken] = "bun-ci";
        _server = LoopbackHttpServer.Start(HandleAsync);
    }

    public Uri Url => _server.Url;
    public string Username => "admin";
    public string Password { get; } = $"pw-{Guid.NewGuid():N}";

    /// <summary>An account token, as <c>argocd account generate-token</c> makes them.</summary>
    public string AccountToken { get; } = $"eyJhbGciOiJIUzI1NiJ9.{Guid.NewGuid():N}.sig";

    /// <summary>Answers every request with 503 (code 14), as Argo CD behind a load balancer does while it is down.</summary>
    public bool Unavailable { get; set; }

    /// <summary>Runs before each request is answered: lets a test act at an exact point of a client's conversation, e.g. go down after the sync.</summary>
    public Func<SimulatedRequest, Task>? BeforeAnswer { get; set; }

    /// <summary>Delays every answer: a slow or hanging server.</summary>
    public TimeSpan Latency { get; set; }

    public IReadOnlyList<SimulatedRequest> Requests => _requests.ToList();

    public static ArgoCdSimulator Start() => new();

    /// <summary>An application reading <paramref name="path"/> of the bare repository <paramref name="repository"/> at HEAD.</summary>
    public SimulatedApplication AddApplication(string name, string repository, string path, bool autoSync = false, int historyLimit = 10, string project = "default")
    {
        lock (_gate)
        {
            var application = new SimulatedApplication(name, project, repository, path, autoSync, historyLimit);
            _applications[name] = application;
            if (!_repositories.ContainsKey(repository))
                _repositories[repository] = new GitRevisions(repository);
            return application;
        }
    }

    /// <summary>Deletes an application, as <c>argocd app delete</c> would.</summary>
    public void RemoveApplication(string name)
    {
        lock (_gate)
            _applications.Remove(name);
    }

    /// <summary>Reads or changes an application's state under the simulator's lock.</summary>
    public T With<T>(string name, Func<SimulatedApplication, T> read)
    {
        lock (_gate)
            return read(_applications[name]);
    }

    public void Configure(string name, Action<SimulatedApplication> change)
    {
        lock (_gate)
            change(_applications[name]);
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        try
        {
            var body = await new StreamReader(request.InputStream, Encoding.UTF8).ReadToEndAsync();
            var received = new SimulatedRequest(request.HttpMethod, request.Url!.AbsolutePath, body, request.Headers["Authorization"]);
            _requests.Enqueue(received);
            if (BeforeAnswer is { } hook)
                await hook(received);
            if (Latency > TimeSpan.Zero)
                await Task.Delay(Latency);
            var (status, json) = Unavailable
                ? Error(503, 14, "connection error: desc = \"transport: Error while dialing: dial tcp: connect: connection refused\"")
                : await RouteAsync(request.HttpMethod, request.Url.AbsolutePath, request.QueryString, request.Headers, body);
            var bytes = Encoding.UTF8.GetBytes(json.ToJsonString());
            response.StatusCode = status;
            response.ContentType = "application/json";
            response.ContentLength64 = bytes.Length;
            await response.OutputStream.WriteAsync(bytes);
        }
        catch (Exception failure) when (failure is HttpListenerException or IOException or ObjectDisposedException)
        {
            // The client went away (e.g. it timed out): nothing to answer.
        }
        finally
        {
            response.Close();
        }
    }

    private async Task<(int, JsonNode)> RouteAsync(string method, string path, NameValueCollection query, NameValueCollection headers, string body)
    {
        var segments = path.Trim('/').Split('/');
        if (segments is not ["api", "v1", ..])
            return Error(404, 5, "Not Found");
        var route = segments[2..];
        if (route is ["session"])
            return method == "POST" ? LogIn(body) : Error(405, 12, "Method Not Allowed");

        if (User(headers) is not { } user)
            return Error(401, 16, headers["Authorization"] is null ? "no session information" : "invalid session: token signature is invalid");

        return (method, route) switch
        {
            ("GET", ["applications"]) => List(query),
            ("GET", ["applications", var name]) => WithRolloutHealth(name, await GetAsync(name, query)),
            ("PATCH", ["applications", var name]) => Patch(name, query, body),
            ("POST", ["applications", var name, "sync"]) => await SyncAsync(name, query, body, user),
            ("POST", ["applications", var name, "rollback"]) => await RollbackAsync(name, query, body, user),
            ("DELETE", ["applications", var name, "operation"]) => Terminate(name, query),
            ("GET", ["applications", var name, "resource-tree"]) => Tree(name, query),
            ("GET", ["applications", var name, "resource"]) => LiveResource(name, query),
            ("GET", ["applications", var name, "resource", "actions"]) => ListActions(name, query),
            ("POST", ["applications", var name, "resource", "actions"]) => RunActionLegacy(name, query, body),
            ("POST", ["applications", var name, "resource", "actions", "v2"]) => RunActionV2(name, query, body),
            ("GET", ["applications", var name, "syncwindows"]) => Locked(name, query, application => (200, SyncWindows(application))),
            (_, ["applications", ..]) => Error(405, 12, "Method Not Allowed"),
            _ => Error(404, 5, "Not Found"),
        };
    }

    private (int, JsonNode) LogIn(string body)
    {
        var request = JsonNode.Parse(body);
        if (request?["username"]?.GetValue<string>() != Username || request["password"]?.GetValue<string>() != Password)
            return Error(401, 16, "Invalid username or password");
        var token = $"eyJhbGciOiJIUzI1NiJ9.{Guid.NewGuid():N}.session";
        _tokens[token] = Username;
        return (200, new JsonObject { ["token"] = token });
    }

    private string? User(NameValueCollection headers)
    {
        var authorization = headers["Authorization"];
        var token = authorization?.StartsWith("Bearer ", StringComparison.Ordinal) == true ? authorization["Bearer ".Length..] : null;
        return token is not null && _tokens.TryGetValue(token, out var user) ? user : null;
    }

    private (int, JsonNode) List(NameValueCollection query)
    {
        lock (_gate)
        {
            var name = query["name"];
            var projects = query.GetValues("projects") ?? [];
            var items = _applications.Values
                .Where(application => (name is null || application.Name == name) && (projects.Length == 0 || projects.Contains(application.Project)))
                .OrderBy(application => application.Name, StringComparer.Ordinal)
                .Select(application => (JsonNode)application.ToJson())
                .ToArray();
            return (200, new JsonObject { ["items"] = new JsonArray(items) });
        }
    }

    private async Task<(int, JsonNode)> GetAsync(string name, NameValueCollection query)
    {
        var head = await HeadAsync(name);
        return Locked(name, query, application =>
        {
            if (query["refresh"] is "normal" or "hard")
                application.Reconcile(head, DateTimeOffset.UtcNow);
            else
                application.Advance(head, DateTimeOffset.UtcNow);
            return (200, application.ToJson());
        });
    }

    private (int, JsonNode) Patch(string name, NameValueCollection query, string body) => Locked(name, query, application =>
    {
        var request = JsonNode.Parse(body);
        var patchType = request?["patchType"]?.GetValue<string>() ?? "json";
        if (patchType == "json")
            return Error(400, 3, "this simulator applies merge patches only; send patchType merge");
        if (patchType != "merge")
            return Error(400, 3, $"Patch type '{patchType}' is not supported");
        JsonNode? patch;
        try
        {
            patch = JsonNode.Parse(request?["patch"]?.GetValue<string>() ?? "");
        }
        catch (JsonException invalid)
        {
            return Error(400, 3, $"error unmarshaling patch: {invalid.Message}");
        }

        var patched = MergePatch.Apply(new JsonObject { ["spec"] = application.Spec.DeepClone() }, patch);
        application.Spec = patched?["spec"] as JsonObject ?? application.Spec;
        return (200, application.ToJson());
    });

    private async Task<(int, JsonNode)> SyncAsync(string name, NameValueCollection query, string body, string user)
    {
        var revision = JsonNode.Parse(body)?["revision"]?.GetValue<string>();
        var (repository, path, target) = Source(name);
        var manifests = repository is null ? null : await repository.ManifestsAsync(string.IsNullOrEmpty(revision) ? target! : revision, path!);
        return Locked(name, query, application =>
        {
            if (!string.IsNullOrEmpty(revision) && revision != application.TargetRevision && application.AutoSync)
                return Error(400, 9, $"Cannot sync to {revision}: auto-sync currently set to {application.TargetRevision}");
            if (!application.SyncWindowOpen)
                return Error(403, 7, "cannot sync: blocked by sync window");
            if (application.OperationRunning)
                return Error(400, 9, "another operation is already in progress");
            application.Start(string.IsNullOrEmpty(revision) ? application.TargetRevision : revision, manifests, user, automated: false, DateTimeOffset.UtcNow);
            return (200, application.ToJson());
        });
    }

    private async Task<(int, JsonNode)> RollbackAsync(string name, NameValueCollection query, string body, string user)
    {
        var request = JsonNode.Parse(body);
        var id = request?["id"] is JsonValue value && (value.TryGetValue<long>(out var number) || long.TryParse(value.ToString(), out number)) ? number : -1;
        var (repository, path, _) = Source(name);
        var revision = repository is null ? null : With(name, application => application.ToJson()["status"]!["history"]!.AsArray()
            .FirstOrDefault(entry => entry!["id"]!.GetValue<long>() == id)?["revision"]?.GetValue<string>());
        var manifests = revision is null ? null : await repository!.ManifestsAsync(revision, path!);
        return Locked(name, query, application =>
        {
            if (application.AutoSync)
                return Error(400, 9, "rollback cannot be initiated when auto-sync is enabled");
            if (revision is null)
                return Error(400, 3, $"application {name} does not have deployment with id {id}");
            if (application.OperationRunning)
                return Error(400, 9, "another operation is already in progress");
            application.Start(revision, manifests, user, automated: false, DateTimeOffset.UtcNow);
            return (200, application.ToJson());
        });
    }

    private (int, JsonNode) Terminate(string name, NameValueCollection query) => Locked(name, query, application =>
    {
        if (!application.OperationRunning)
            return Error(400, 3, "Unable to terminate operation. No operation is in progress");
        application.Terminate();
        return (200, new JsonObject());
    });

    private static JsonObject SyncWindows(SimulatedApplication application)
    {
        var deny = new JsonObject { ["kind"] = "deny", ["schedule"] = "0 22 * * *", ["duration"] = "8h", ["manualSync"] = false };
        return new JsonObject
        {
            ["canSync"] = application.SyncWindowOpen,
            ["activeWindows"] = application.SyncWindowOpen ? new JsonArray() : new JsonArray(deny.DeepClone()),
            ["assignedWindows"] = new JsonArray(deny),
        };
    }

    // The manifests at the application's target revision: git is read outside the lock.
    private async Task<Manifests?> HeadAsync(string name)
    {
        var (repository, path, target) = Source(name);
        return repository is null ? null : await repository.ManifestsAsync(target!, path!);
    }

    private (GitRevisions? Repository, string? Path, string? Target) Source(string name)
    {
        lock (_gate)
        {
            if (!_applications.TryGetValue(name, out var application))
                return (null, null, null);
            var repository = application.Spec["source"]?["repoURL"]?.GetValue<string>();
            return (repository is null ? null : _repositories.GetValueOrDefault(repository), application.Path, application.TargetRevision);
        }
    }

    // A missing application answers 403 "permission denied", so as not to tell who may see what, unless a project is given.
    private (int, JsonNode) Locked(string name, NameValueCollection query, Func<SimulatedApplication, (int, JsonNode)> handle)
    {
        lock (_gate)
        {
            var project = query.GetValues("project")?.FirstOrDefault() ?? query["project"];
            if (_applications.TryGetValue(name, out var application) && (project is null || application.Project == project))
                return handle(application);
            return project is null
                ? Error(403, 7, "permission denied")
                : Error(404, 5, $"applications.argoproj.io \"{name}\" not found");
        }
    }

    private static (int, JsonNode) Error(int status, int code, string message) =>
        (status, new JsonObject { ["error"] = message, ["code"] = code, ["message"] = message });
}
