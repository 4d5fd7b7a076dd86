using System.Text.Json;
using System.Text.Json.Nodes;
using Bun.Delivery.Model.Branches;
using Bun.Pipeline.Failures;

namespace Bun.Delivery.Model.Context;

/// <summary>
/// The context in GitHub Actions, from the runner's variables and the event payload at <c>GITHUB_EVENT_PATH</c>.
/// Pushes read <c>GITHUB_REF</c> rather than <c>GITHUB_REF_NAME</c>: only the full ref tells a tag from a branch.
/// </summary>
public static class GitHubActionsContext
{
    public static async Task<DeliveryContext> ReadAsync(IReadOnlyDictionary<string, string> variables, CancellationToken cancellation)
    {
        var path = Required(variables, "GITHUB_EVENT_PATH");
        try
        {
            return FromPayload(variables, await File.ReadAllTextAsync(path, cancellation));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw BuildFailure.BadInput(
                $"GitHub's event payload {path} (GITHUB_EVENT_PATH) cannot be read: {exception.Message} Run inside a GitHub Actions job, or unset GITHUB_ACTIONS to read the context from git.");
        }
    }

    /// <summary>The context from the variables and the payload's text: no file or process, so tests can feed it fixtures.</summary>
    public static DeliveryContext FromPayload(IReadOnlyDictionary<string, string> variables, string payload)
    {
        var root = Parse(payload, variables.GetValueOrDefault("GITHUB_EVENT_PATH") ?? "the event payload");
        var eventName = Required(variables, "GITHUB_EVENT_NAME");
        var commit = Required(variables, "GITHUB_SHA");
        return eventName switch
        {
            "push" => new DeliveryContext(DeliveryHost.GitHubActions, Branch.Classify(Required(variables, "GITHUB_REF")), DeliveryEvent.Push, commit),
            "workflow_dispatch" => new DeliveryContext(DeliveryHost.GitHubActions, Branch.Classify(Required(variables, "GITHUB_REF")), DeliveryEvent.WorkflowDispatch, commit),
            "pull_request" => PullRequest(variables, root, commit),
            _ => throw BuildFailure.BadInput(
                $"GitHub event '{eventName}' (GITHUB_EVENT_NAME) is not one Bun's pipeline handles; trigger the workflow on push, pull_request or workflow_dispatch."),
        };
    }

    private static DeliveryContext PullRequest(IReadOnlyDictionary<string, string> variables, JsonObject root, string commit)
    {
        var pullRequest = root["pull_request"] as JsonObject
            ?? throw BuildFailure.BadInput("The pull_request event's payload has no pull_request object; the payload file is not from a pull_request event.");
        var closed = Text(root["action"]) == "closed";
        var head = Optional(variables, "GITHUB_HEAD_REF") ?? Text(pullRequest["head"]?["ref"])
            ?? throw BuildFailure.BadInput("Neither GITHUB_HEAD_REF nor the payload's pull_request.head.ref names the pull request's branch.");
        var @base = Optional(variables, "GITHUB_BASE_REF") ?? Text(pullRequest["base"]?["ref"])
            ?? throw BuildFailure.BadInput("Neither GITHUB_BASE_REF nor the payload's pull_request.base.ref names the branch the pull request merges into.");
        return new DeliveryContext(DeliveryHost.GitHubActions, Branch.Classify(head), closed ? DeliveryEvent.PullRequestClosed : DeliveryEvent.PullRequest, commit)
        {
            BaseBranch = @base,
            // A closed payload always says whether it was merged; reading "unknown" as not merged never deletes images.
            Merged = closed ? Value<bool>(pullRequest["merged"]) ?? false : null,
            PullRequestNumber = Value<int>(pullRequest["number"]),
        };
    }

    private static JsonObject Parse(string payload, string source)
    {
        try
        {
            return JsonNode.Parse(payload) as JsonObject
                ?? throw BuildFailure.BadInput($"GitHub's event payload {source} (GITHUB_EVENT_PATH) is not a JSON object; point GITHUB_EVENT_PATH at the event's payload file.");
        }
        catch (JsonException exception)
        {
            throw BuildFailure.BadInput($"GitHub's event payload {source} (GITHUB_EVENT_PATH) is not JSON ({exception.Message.Split('\n')[0]}); point GITHUB_EVENT_PATH at the event's payload file.");
        }
    }

    // Payload fields of the wrong JSON type read as missing, so the caller's message applies.
    private static T? Value<T>(JsonNode? node) where T : struct => node is JsonValue value && value.TryGetValue<T>(out var result) ? result : null;

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;

    private static string? Optional(IReadOnlyDictionary<string, string> variables, string name) =>
        variables.GetValueOrDefault(name) is { Length: > 0 } value ? value : null;

    private static string Required(IReadOnlyDictionary<string, string> variables, string name) =>
        Optional(variables, name) ?? throw BuildFailure.BadInput($"{name} is not set, but GITHUB_ACTIONS is true; run inside a GitHub Actions job, or unset GITHUB_ACTIONS to read the context from git.");
}
