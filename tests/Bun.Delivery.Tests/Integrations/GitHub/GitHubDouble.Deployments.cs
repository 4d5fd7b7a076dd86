using System.Collections.Specialized;
using System.Text.Json.Nodes;

namespace Bun.Delivery.Tests.Integrations.GitHub;

/// <summary>
/// The deployments part: <c>POST/GET …/deployments</c> and <c>POST/GET …/deployments/{id}/statuses</c>, newest first.
/// As on GitHub: <c>ref</c> is required and must resolve (422), <c>required_contexts</c> left out means every commit
/// status must be green (409), a <c>success</c> status marks the earlier successful deployments of a non-production
/// environment inactive unless <c>auto_inactive</c> is false, and a state GitHub does not know is 422.
/// </summary>
public sealed partial class GitHubDouble
{
    private static readonly string[] DeploymentStates = ["error", "failure", "inactive", "in_progress", "queued", "pending", "success"];

    private readonly List<DeploymentRecord> _deployments = [];

    /// <summary>What a job bound to a GitHub environment starts with: the deployment GitHub Actions creates, in progress, linked to the run.</summary>
    public long AddActionsDeployment(string environment, string sha, string runId)
    {
        lock (_gate)
        {
            var deployment = new DeploymentRecord(NextId(), new JsonObject
            {
                ["sha"] = sha, ["ref"] = sha, ["task"] = "deploy", ["payload"] = new JsonObject(), ["environment"] = environment,
                ["original_environment"] = environment, ["creator"] = User("github-actions[bot]"), ["production_environment"] = environment == "prod",
                ["transient_environment"] = false,
            });
            _deployments.Add(deployment);
            AddStatus(deployment, "in_progress", new JsonObject { ["log_url"] = $"https://github.com/{Owner}/{Name}/actions/runs/{runId}/job/1" });
            return deployment.Id;
        }
    }

    /// <summary>The deployments of an environment, oldest first, with their statuses' states, oldest first.</summary>
    public IReadOnlyList<(long Id, JsonObject Deployment, IReadOnlyList<JsonObject> Statuses)> Deployments(string environment)
    {
        lock (_gate)
            return _deployments.Where(deployment => (string?)deployment.Json["environment"] == environment)
                .Select(deployment => (deployment.Id, (JsonObject)deployment.Json.DeepClone(), (IReadOnlyList<JsonObject>)deployment.Statuses.Select(status => (JsonObject)status.DeepClone()).ToList()))
                .ToList();
    }

    private GitHubAnswer? RouteDeployments(string method, string[] rest, NameValueCollection query, string path, JsonNode? body) => (method, rest) switch
    {
        ("GET", ["deployments"]) => Page(_deployments
            .Where(deployment => query["environment"] is not { } environment || (string?)deployment.Json["environment"] == environment)
            .Where(deployment => query["sha"] is not { } sha || (string?)deployment.Json["sha"] == sha)
            .Where(deployment => query["ref"] is not { } reference || (string?)deployment.Json["ref"] == reference)
            .Where(deployment => query["task"] is not { } task || (string?)deployment.Json["task"] == task)
            .AsEnumerable().Reverse().Select(Json).ToList(), query, path),
        ("POST", ["deployments"]) => CreateDeployment(body),
        ("GET", ["deployments", var id, "statuses"]) => Deployment(id) is { } deployment
            ? Page(deployment.Statuses.AsEnumerable().Reverse().Cast<JsonNode>().ToList(), query, path)
            : Error(404, "Not Found", RestDocumentation),
        ("POST", ["deployments", var id, "statuses"]) => Deployment(id) is { } deployment ? CreateStatus(deployment, body) : Error(404, "Not Found", RestDocumentation),
        _ => null,
    };

    private GitHubAnswer CreateDeployment(JsonNode? body)
    {
        if (Text(body, "ref") is not { } reference)
            return Invalid("Deployment", "ref", "missing_field");
        if (Resolve(reference) is not { } sha)
            return new GitHubAnswer(422, new JsonObject { ["message"] = $"No ref found for: {reference}", ["documentation_url"] = RestDocumentation, ["status"] = "422" });
        if (body!["required_contexts"] is null && _statuses.GetValueOrDefault(sha) is { } statuses && statuses.Any(status => (string?)status["state"] != "success"))
            return new GitHubAnswer(409, new JsonObject { ["message"] = $"Conflict: Commit status checks failed for {reference}.", ["documentation_url"] = RestDocumentation });
        var environment = Text(body, "environment") ?? "production";
        var deployment = new DeploymentRecord(NextId(), new JsonObject
        {
            ["sha"] = sha, ["ref"] = reference, ["task"] = Text(body, "task") ?? "deploy", ["payload"] = body["payload"]?.DeepClone() ?? new JsonObject(),
            ["environment"] = environment, ["original_environment"] = environment, ["description"] = Text(body, "description"),
            ["creator"] = User("bun-build"), ["auto_merge"] = Flag(body, "auto_merge") ?? true,
            ["production_environment"] = Flag(body, "production_environment") ?? environment == "production",
            ["transient_environment"] = Flag(body, "transient_environment") ?? false,
        });
        _deployments.Add(deployment);
        return new GitHubAnswer(201, Json(deployment));
    }

    private GitHubAnswer CreateStatus(DeploymentRecord deployment, JsonNode? body)
    {
        if (Text(body, "state") is not { } state)
            return Invalid("DeploymentStatus", "state", "missing_field");
        if (!DeploymentStates.Contains(state))
            return Invalid("DeploymentStatus", "state", "invalid", $"state is not included in the list: {string.Join(", ", DeploymentStates)}");
        var status = AddStatus(deployment, state, (JsonObject)body!);
        if (state == "success" && Flag(body, "auto_inactive") != false && deployment.Json["production_environment"]?.GetValue<bool>() != true)
        {
            foreach (var earlier in _deployments.Where(other => other != deployment && (string?)other.Json["environment"] == (string?)deployment.Json["environment"]
                                                               && other.Statuses.Count > 0 && (string?)other.Statuses[^1]["state"] == "success"))
                AddStatus(earlier, "inactive", new JsonObject());
        }

        return new GitHubAnswer(201, status.DeepClone());
    }

    private JsonObject AddStatus(DeploymentRecord deployment, string state, JsonObject fields)
    {
        var status = new JsonObject
        {
            ["id"] = NextId(), ["state"] = state, ["description"] = Text(fields, "description") ?? "", ["environment"] = deployment.Json["environment"]?.DeepClone(),
            ["log_url"] = Text(fields, "log_url") ?? "", ["target_url"] = Text(fields, "log_url") ?? Text(fields, "target_url") ?? "",
            ["environment_url"] = Text(fields, "environment_url") ?? "", ["creator"] = User("bun-build"), ["created_at"] = Now, ["updated_at"] = Now,
        };
        deployment.Statuses.Add(status);
        return status;
    }

    private DeploymentRecord? Deployment(string id) => _deployments.FirstOrDefault(deployment => deployment.Id.ToString() == id);

    private JsonNode Json(DeploymentRecord deployment)
    {
        var json = (JsonObject)deployment.Json.DeepClone();
        json["id"] = deployment.Id;
        json["url"] = $"{Url}repos/{Owner}/{Name}/deployments/{deployment.Id}";
        json["statuses_url"] = $"{Url}repos/{Owner}/{Name}/deployments/{deployment.Id}/statuses";
        json["created_at"] = Now;
        json["updated_at"] = Now;
        return json;
    }

    private sealed record DeploymentRecord(long Id, JsonObject Json)
    {
        public List<JsonObject> Statuses { get; } = [];
    }
}
