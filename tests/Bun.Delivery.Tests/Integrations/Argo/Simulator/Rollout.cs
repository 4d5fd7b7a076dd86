namespace Bun.Delivery.Tests.Integrations.Argo.Simulator;

/// <summary>One step of an application's health after a sync: a status held for a number of reads (the last step holds for ever).</summary>
public sealed record HealthStep(string Status, int Reads, string? Message = null);

/// <summary>How a revision behaves when the simulator syncs it: the operation's outcome, then the health it goes through.</summary>
public sealed record Rollout(string Phase, IReadOnlyList<HealthStep> Health, string? Message = null)
{
    /// <summary>Progressing for a read, then Healthy.</summary>
    public static Rollout Healthy { get; } = new("Succeeded", [new("Progressing", 1), new("Healthy", 1)]);

    /// <summary>Healthy at once, as if nothing had happened yet: no settle time needed.</summary>
    public static Rollout Instant { get; } = new("Succeeded", [new("Healthy", 1)]);

    /// <summary>Looks Healthy for a moment right after the sync, then Progressing again, then Healthy for good.</summary>
    public static Rollout Flicker { get; } = new("Succeeded", [new("Progressing", 1), new("Healthy", 1), new("Progressing", 2), new("Healthy", 1)]);

    /// <summary>Progressing, then Degraded for good: a crash-looping image.</summary>
    public static Rollout Degraded { get; } = new("Succeeded", [new("Progressing", 1), new("Degraded", 1, "Deployment \"bun-api\" exceeded its progress deadline")]);

    /// <summary>Looks Healthy for a moment, then Degraded.</summary>
    public static Rollout FlickerThenDegraded { get; } =
        new("Succeeded", [new("Progressing", 1), new("Healthy", 1), new("Degraded", 1, "Back-off restarting failed container bun-api")]);

    /// <summary>Never leaves Progressing: a deployment that hangs.</summary>
    public static Rollout Hangs { get; } = new("Succeeded", [new("Progressing", 1, "Waiting for rollout to finish: 0 of 1 updated replicas are available...")]);

    /// <summary>The sync operation itself fails: a manifest the cluster refuses.</summary>
    public static Rollout SyncFails(string message) => new("Failed", [], message);
}
