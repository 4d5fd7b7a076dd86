using System.Text.Json.Nodes;

namespace Bun.Delivery.Tests.Integrations.Argo.Simulator;

/// <summary>
/// One Argo CD application and its controller, advanced one reconcile step per read. An operation stays Running for
/// <see cref="OperationReads"/> reads, then ends as the revision's <see cref="Rollout"/> says, with <c>finishedAt</c>;
/// the next read reconciles (<c>reconciledAt</c>, sync status against the target revision), and health then walks
/// the rollout's steps. History is appended only after a successful sync and cut to <c>revisionHistoryLimit</c>.
/// All members are called under the simulator's lock.
/// </summary>
public sealed class SimulatedApplication
{
    private readonly Dictionary<string, Rollout> _rollouts = new();
    private readonly List<JsonObject> _history = [];
    private readonly Queue<HealthStep> _health = new();
    private long _nextHistoryId;
    private Run? _operation;
    private JsonObject? _operationState;
    private Manifests? _live;
    private Manifests? _target;
    private string _healthStatus = "Missing";
    private string? _healthMessage;
    private int _healthReadsLeft;
    private DateTimeOffset? _reconciledAt;
    private bool _reconcilePending;
    private string? _autoSyncAttempted;

    internal SimulatedApplication(string name, string project, string repository, string path, bool autoSync, int historyLimit)
    {
        Name = name;
        Project = project;
        Path = path;
        Spec = new JsonObject
        {
            ["project"] = project,
            ["source"] = new JsonObject { ["repoURL"] = repository, ["path"] = path, ["targetRevision"] = "HEAD" },
            ["syncPolicy"] = autoSync ? new JsonObject { ["automated"] = new JsonObject { ["enabled"] = true, ["prune"] = true, ["selfHeal"] = true } } : new JsonObject(),
            ["revisionHistoryLimit"] = historyLimit,
        };
    }

    public string Name { get; }
    public string Project { get; }
    public string Path { get; }
    public JsonObject Spec
    {
        get;
        internal set
        {
            // An older server's API drops the fields it does not know.
            if (!KnowsAutomatedEnabled && value["syncPolicy"]?["automated"] is JsonObject automated)
                automated.Remove("enabled");
            field = value;
        }
    }

    /// <summary>How many reads an operation stays Running.</summary>
    public int OperationReads { get; set; } = 1;

    /// <summary>False puts the application in a deny sync window: syncs are refused with 403.</summary>
    public bool SyncWindowOpen { get; set; } = true;

    /// <summary>
    /// False models an Argo CD before 3.1, whose API has no <c>syncPolicy.automated.enabled</c>: the field is dropped as
    /// unknown, and auto-sync is on whenever <c>automated</c> is set.
    /// </summary>
    public bool KnowsAutomatedEnabled { get; set; } = true;

    /// <summary>How revisions whose digest has no <see cref="Behave"/> entry roll out.</summary>
    public Rollout DefaultRollout { get; set; } = Rollout.Healthy;

    public bool AutoSync => Spec["syncPolicy"]?["automated"] is JsonObject automated && (!KnowsAutomatedEnabled || automated["enabled"]?.GetValue<bool>() != false);
    public bool OperationRunning => _operation is not null;
    public string TargetRevision => Spec["source"]?["targetRevision"]?.GetValue<string>() ?? "HEAD";
    public int HistoryLimit => Spec["revisionHistoryLimit"]?.GetValue<int>() ?? 10;
    public string? LiveDigest => _live?.Digest;
    public string Health => _healthStatus;
    public IReadOnlyList<long> HistoryIds => _history.Select(entry => entry["id"]!.GetValue<long>()).ToList();

    /// <summary>Makes every sync of <paramref name="digest"/> roll out as <paramref name="rollout"/>.</summary>
    public void Behave(string digest, Rollout rollout) => _rollouts[digest] = rollout;

    private sealed record Run(string Requested, Manifests? Manifests, string Username, bool Automated, DateTimeOffset StartedAt)
    {
        public int ReadsLeft { get; set; }
        public bool Terminating { get; set; }
    }

    /// <summary>One reconcile step, as a read of the application sees it.</summary>
    internal void Advance(Manifests? head, DateTimeOffset now)
    {
        if (_operation is { } run)
        {
            if (run.Terminating || --run.ReadsLeft <= 0)
                Finish(run, now);
            return;
        }

        AdvanceHealth();
        if (_reconcilePending)
            Reconcile(head, now);
    }

    /// <summary>A refresh: compare with git now, and let auto-sync start an operation if the application is out of sync.</summary>
    internal void Reconcile(Manifests? head, DateTimeOffset now)
    {
        _reconcilePending = false;
        _reconciledAt = now;
        _target = head;
        if (AutoSync && SyncWindowOpen && _operation is null && head is not null && !IsSynced && head.Sha != _autoSyncAttempted)
        {
            _autoSyncAttempted = head.Sha;
            Start(head.Sha, head, "", automated: true, now);
        }
    }

    internal void Start(string requested, Manifests? manifests, string username, bool automated, DateTimeOffset now)
    {
        _operation = new Run(requested, manifests, username, automated, now) { ReadsLeft = OperationReads };
        _operationState = new JsonObject
        {
            ["operation"] = OperationJson(_operation),
            ["phase"] = "Running",
            ["message"] = "one or more tasks are running",
            ["startedAt"] = Time(now),
        };
    }

    internal void Terminate()
    {
        _operation!.Terminating = true;
        _operationState!["phase"] = "Terminating";
    }

    public JsonObject ToJson() => new()
    {
        ["metadata"] = new JsonObject { ["name"] = Name, ["namespace"] = "argocd" },
        ["spec"] = Spec.DeepClone(),
        ["operation"] = _operation is null ? null : OperationJson(_operation),
        ["status"] = new JsonObject
        {
            ["sync"] = new JsonObject { ["status"] = IsSynced ? "Synced" : "OutOfSync", ["revision"] = _target?.Sha },
            ["health"] = new JsonObject { ["status"] = _healthStatus, ["message"] = _healthMessage },
            ["history"] = new JsonArray(_history.Select(entry => entry.DeepClone()).ToArray()),
            ["operationState"] = _operationState?.DeepClone(),
            ["reconciledAt"] = _reconciledAt is { } reconciled ? Time(reconciled) : null,
            ["summary"] = new JsonObject { ["images"] = new JsonArray(Images().Select(image => (JsonNode)image).ToArray()) },
        },
    };

    public JsonObject TreeJson()
    {
        var namespaceName = $"bun-{Name.Split('-')[^1]}";
        JsonObject Node(string kind, string name, string health, string? message, string[] images) => new()
        {
            ["group"] = kind == "Service" || kind == "Pod" ? "" : "apps",
            ["kind"] = kind,
            ["namespace"] = namespaceName,
            ["name"] = name,
            ["health"] = new JsonObject { ["status"] = health, ["message"] = message },
            ["images"] = new JsonArray(images.Select(image => (JsonNode)image).ToArray()),
        };
        var images = Images().ToArray();
        return new JsonObject
        {
            ["nodes"] = new JsonArray(
                Node("Service", "bun-api", "Healthy", null, []),
                Node("Deployment", "bun-api", _healthStatus, _healthMessage, images),
                Node("Pod", "bun-api-7d9f8-x2k4q", _healthStatus, _healthMessage, images)),
        };
    }

    private bool IsSynced => _live is not null && _target is not null && _live.Tree == _target.Tree;

    private IEnumerable<string> Images() => _live?.Digest is { } digest ? [$"ghcr.io/bun/bun-api@{digest}"] : [];

    private void Finish(Run run, DateTimeOffset now)
    {
        _operation = null;
        _reconcilePending = true;
        var rollout = run.Manifests?.Digest is { } digest && _rollouts.TryGetValue(digest, out var specific) ? specific : DefaultRollout;
        var (phase, message) = run switch
        {
            { Terminating: true } => ("Failed", "Operation terminated"),
            { Manifests: null } => ("Error", $"ComparisonError: unable to resolve '{run.Requested}' to a commit SHA"),
            _ when rollout.Phase != "Succeeded" => (rollout.Phase, rollout.Message ?? "one or more objects failed to apply"),
            _ => ("Succeeded", "successfully synced (all tasks run)"),
        };

        var succeeded = phase == "Succeeded";
        var resources = new JsonArray(
            Resource("Service", "bun-api", succeeded ? "Synced" : "SyncFailed", succeeded ? "service/bun-api unchanged" : message),
            Resource("Deployment", "bun-api", succeeded ? "Synced" : "SyncFailed", succeeded ? "deployment.apps/bun-api configured" : message));
        _operationState = new JsonObject
        {
            ["operation"] = OperationJson(run),
            ["phase"] = phase,
            ["message"] = message,
            ["startedAt"] = Time(run.StartedAt),
            ["finishedAt"] = Time(now),
            ["syncResult"] = new JsonObject { ["revision"] = run.Manifests?.Sha ?? run.Requested, ["resources"] = resources },
        };
        if (!succeeded)
            return;

        _live = run.Manifests;
        _health.Clear();
        foreach (var step in rollout.Health)
            _health.Enqueue(step);
        NextHealthStep();
        _history.Add(new JsonObject
        {
            ["id"] = _nextHistoryId++,
            ["revision"] = run.Manifests!.Sha,
            ["deployStartedAt"] = Time(run.StartedAt),
            ["deployedAt"] = Time(now),
            ["source"] = Spec["source"]?.DeepClone(),
            ["initiatedBy"] = new JsonObject { ["username"] = run.Username, ["automated"] = run.Automated },
        });
        while (_history.Count > HistoryLimit)
            _history.RemoveAt(0);
    }

    private void AdvanceHealth()
    {
        if (_healthReadsLeft > 0 && --_healthReadsLeft == 0 && _health.Count > 0)
            NextHealthStep();
    }

    // The last step holds for ever.
    private void NextHealthStep()
    {
        if (!_health.TryDequeue(out var step))
            return;
        _healthStatus = step.Status;
        _healthMessage = step.Message;
        _healthReadsLeft = _health.Count > 0 ? step.Reads : 0;
    }

    private JsonObject Resource(string kind, string name, string status, string message) => new()
    {
        ["group"] = kind == "Service" ? "" : "apps",
        ["kind"] = kind,
        ["namespace"] = $"bun-{Name.Split('-')[^1]}",
        ["name"] = name,
        ["status"] = status,
        ["message"] = message,
        ["hookPhase"] = status == "Synced" ? "Succeeded" : "Failed",
    };

    private static JsonObject OperationJson(Run run) => new()
    {
        ["sync"] = new JsonObject { ["revision"] = run.Manifests?.Sha ?? run.Requested },
        ["initiatedBy"] = run.Automated ? new JsonObject { ["automated"] = true } : new JsonObject { ["username"] = run.Username },
    };

    // Kubernetes times have whole seconds, which is why Argo CD's "reconciledAt older than finishedAt" test is coarse.
    internal static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");
}
