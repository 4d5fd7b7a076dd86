using System.Collections.Specialized;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Bun.Delivery.Tests.Integrations.Argo.Simulator;

// Argo Rollouts in the simulator: a Rollout in the resource tree, its live manifest through the resource API, its
// actions listed and run through actions/v2 or the older endpoint, and its health in the application's.
public sealed partial class ArgoCdSimulator
{
    private const string RolloutGroup = "argoproj.io";
    private const string RolloutVersion = "v1alpha1";

    // Argo CD's order of health statuses, least to most severe: an application is as unhealthy as its worst resource.
    private static readonly string[] HealthOrder = ["Healthy", "Suspended", "Progressing", "Missing", "Degraded", "Unknown"];

    private readonly Dictionary<string, SimulatedRollout> _rollouts = new();

    /// <summary>False models Argo CD before 3.2: <c>POST …/resource/actions/v2</c> does not exist (404).</summary>
    public bool ActionsV2 { get; set; } = true;

    /// <summary>Makes the application run its workload as a Rollout <c>bun-api</c> in its namespace, with these canary steps.</summary>
    public SimulatedRollout AddRollout(string application, IReadOnlyList<CanaryStep>? steps = null)
    {
        lock (_gate)
        {
            var rollout = new SimulatedRollout("bun-api", $"bun-{application.Split('-')[^1]}", steps ?? CanaryStep.Standard);
            _rollouts[application] = rollout;
            return rollout;
        }
    }

    /// <summary>Reads or changes a Rollout's state under the simulator's lock.</summary>
    public T WithRollout<T>(string application, Func<SimulatedRollout, T> read)
    {
        lock (_gate)
            return read(_rollouts[application]);
    }

    private (int, JsonNode) WithRolloutHealth(string name, (int Status, JsonNode Json) answer)
    {
        lock (_gate)
        {
            if (answer.Status != 200 || !_rollouts.TryGetValue(name, out var rollout) || _applications[name].LiveDigest is not { } digest)
                return answer;
            rollout.Tick(digest);
            var health = answer.Json["status"]!["health"]!;
            var (status, message) = rollout.Health();
            if (Array.IndexOf(HealthOrder, status) > Array.IndexOf(HealthOrder, health["status"]!.GetValue<string>()))
            {
                health["status"] = status;
                health["message"] = message;
            }

            return answer;
        }
    }

    private (int, JsonNode) Tree(string name, NameValueCollection query) => Locked(name, query, application =>
    {
        var tree = application.TreeJson();
        if (!_rollouts.TryGetValue(name, out var rollout))
            return (200, tree);
        rollout.Tick(application.LiveDigest);
        var (status, message) = rollout.Health();
        foreach (var node in tree["nodes"]!.AsArray().Where(node => node!["kind"]!.GetValue<string>() == "Deployment"))
        {
            node!["kind"] = "Rollout";
            node["group"] = RolloutGroup;
            node["health"] = new JsonObject { ["status"] = status, ["message"] = message };
        }

        return (200, tree);
    });

    private (int, JsonNode) LiveResource(string name, NameValueCollection query) => Locked(name, query, application =>
    {
        if (FindRollout(name, query) is not { } rollout)
            return NotPartOf(name, query);
        rollout.Tick(application.LiveDigest);
        return (200, new JsonObject { ["manifest"] = rollout.ToJson().ToJsonString() });
    });

    private (int, JsonNode) ListActions(string name, NameValueCollection query) => Locked(name, query, _ =>
    {
        if (FindRollout(name, query) is not { } rollout)
            return NotPartOf(name, query);
        var actions = rollout.Actions().Select(action => (JsonNode)new JsonObject { ["name"] = action.Name, ["disabled"] = action.Disabled }).ToArray();
        return (200, new JsonObject { ["actions"] = new JsonArray(actions) });
    });

    // Before 3.2: the action's name as a JSON string body, the resource in the query.
    private (int, JsonNode) RunActionLegacy(string name, NameValueCollection query, string body)
    {
        string? action;
        try
        {
            action = JsonNode.Parse(body) is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
        }
        catch (JsonException)
        {
            action = null;
        }

        return action is null
            ? Error(400, 3, "the body must be the action's name as a JSON string")
            : RunAction(name, query, query, action);
    }

    private (int, JsonNode) RunActionV2(string name, NameValueCollection query, string body)
    {
        if (!ActionsV2)
            return Error(404, 5, "Not Found");
        var request = JsonNode.Parse(body) as JsonObject;
        var resource = new NameValueCollection();
        foreach (var field in new[] { "namespace", "resourceName", "version", "group", "kind" })
            resource[field] = request?[field]?.GetValue<string>();
        var action = request?["action"]?.GetValue<string>();
        return string.IsNullOrEmpty(action) ? Error(400, 3, "action is required") : RunAction(name, query, resource, action);
    }

    private (int, JsonNode) RunAction(string name, NameValueCollection query, NameValueCollection resource, string action) => Locked(name, query, _ =>
    {
        if (FindRollout(name, resource) is not { } rollout)
            return NotPartOf(name, resource);
        var offered = rollout.Actions().Where(candidate => candidate.Name == action).ToList();
        if (offered.Count == 0)
            return Error(400, 3, $"error getting Lua resource action: action '{action}' not found for Rollout {rollout.Namespace}/{rollout.Name}");
        if (offered[0].Disabled)
            return Error(400, 3, $"action '{action}' is disabled for Rollout {rollout.Namespace}/{rollout.Name} in its current state");
        rollout.Run(action);
        return (200, new JsonObject());
    });

    private SimulatedRollout? FindRollout(string name, NameValueCollection resource) =>
        _rollouts.TryGetValue(name, out var rollout)
        && resource["group"] == RolloutGroup && resource["version"] == RolloutVersion && resource["kind"] == "Rollout"
        && resource["resourceName"] == rollout.Name && resource["namespace"] == rollout.Namespace
            ? rollout
            : null;

    private static (int, JsonNode) NotPartOf(string name, NameValueCollection resource) =>
        Error(400, 3, $"{resource["kind"]} {resource["group"]} {resource["resourceName"]} not found as part of application {name}");
}
