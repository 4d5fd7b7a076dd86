using System.Text.Json.Nodes;

namespace Bun.Delivery.Integrations.Argo;

/// <summary>One live resource of an application, as Argo CD's resource API names it.</summary>
public sealed record ArgoResource(string Group, string Version, string Kind, string Namespace, string Name)
{
    /// <summary>An Argo Rollouts Rollout (argoproj.io/v1alpha1).</summary>
    public static ArgoResource Rollout(string @namespace, string name) => new("argoproj.io", "v1alpha1", "Rollout", @namespace, name);

    public override string ToString() => $"{Kind} {Namespace}/{Name}";
}

/// <summary>A resource action Argo CD offers (abort, retry, promote-full, ...); disabled when it does not apply now.</summary>
public sealed record ArgoResourceAction(string Name, bool Disabled);

/// <summary>Which endpoint ran a resource action: <c>actions/v2</c> (Argo CD 3.2 and later) or the older one.</summary>
public enum ArgoActionEndpoint
{
    V2,
    Legacy,
}

/// <summary>Where a Rollout stands, from its live status.</summary>
public enum RolloutProgress
{
    /// <summary>Moving through its steps, or its controller has not seen the latest spec yet.</summary>
    Progressing,

    /// <summary>Paused at a step (Argo CD: Suspended): still in progress, not healthy.</summary>
    Paused,

    /// <summary>Every step done and the new version is the stable one.</summary>
    Healthy,

    /// <summary>Aborted (by an action or a failed analysis): traffic is back on the stable version.</summary>
    Aborted,

    Degraded,
}

/// <summary>What Bun reads of a live Rollout: its phase, whether it was aborted, its step, and Argo CD's health of it.</summary>
public sealed record RolloutStatus(
    string? Phase,
    string? Message,
    bool Aborted,
    int? CurrentStepIndex,
    int StepCount,
    bool ObservedCurrentGeneration,
    string? CurrentPodHash,
    string? StableReplicaSet)
{
    public bool FullyPromoted => CurrentPodHash is not null && CurrentPodHash == StableReplicaSet;

    public RolloutProgress Progress => (ObservedCurrentGeneration, Aborted, Phase) switch
    {
        (false, _, _) => RolloutProgress.Progressing,
        (_, true, _) => RolloutProgress.Aborted,
        (_, _, "Paused") => RolloutProgress.Paused,
        (_, _, "Healthy") when FullyPromoted => RolloutProgress.Healthy,
        (_, _, "Degraded") => RolloutProgress.Degraded,
        _ => RolloutProgress.Progressing,
    };

    /// <summary>Argo CD's health of the Rollout (its health.lua): Progressing until the current generation is observed, then the phase, with Paused as Suspended.</summary>
    public string ArgoHealth => !ObservedCurrentGeneration ? "Progressing" : Phase switch
    {
        "Paused" => "Suspended",
        null or "" => Aborted ? "Degraded" : "Progressing",
        _ => Phase,
    };

    /// <summary>One line: <c>phase Paused at step 2 of 6 (...)</c>.</summary>
    public override string ToString() =>
        $"phase {Phase ?? "unknown"}{(CurrentStepIndex is { } step ? $" at step {step} of {StepCount}" : "")}{(Aborted ? ", aborted" : "")}{(string.IsNullOrEmpty(Message) ? "" : $" ({Message})")}";

    internal static RolloutStatus From(JsonObject manifest)
    {
        var status = manifest["status"] as JsonObject;
        var generation = Number(manifest["metadata"]?["generation"]);
        // Rollouts write observedGeneration as a string; older ones as a number.
        var observed = Number(status?["observedGeneration"]);
        return new RolloutStatus(
            Text(status?["phase"]),
            Text(status?["message"]),
            status?["abort"] is JsonValue abort && abort.TryGetValue<bool>(out var aborted) && aborted,
            Number(status?["currentStepIndex"]) is { } index ? (int)index : null,
            (manifest["spec"]?["strategy"]?["canary"]?["steps"] as JsonArray)?.Count ?? 0,
            generation is null || observed == generation,
            Text(status?["currentPodHash"]),
            Text(status?["stableRS"]));
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static long? Number(JsonNode? node) => node is not JsonValue value ? null
        : value.TryGetValue<long>(out var number) ? number
        : value.TryGetValue<string>(out var text) && long.TryParse(text, out number) ? number
        : null;
}
