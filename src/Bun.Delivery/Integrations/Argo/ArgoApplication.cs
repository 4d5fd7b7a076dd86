using Bun.Delivery.Integrations.Argo.Generated;

namespace Bun.Delivery.Integrations.Argo;

/// <summary>What Bun reads of an Argo CD application, in the delivery model's words.</summary>
public sealed record ArgoApplication(
    string Name,
    bool AutoSync,
    string SyncStatus,
    string? SyncRevision,
    string Health,
    string? HealthMessage,
    bool OperationRequested,
    ArgoOperation? LastOperation,
    DateTimeOffset? ReconciledAt,
    IReadOnlyList<ArgoHistoryEntry> History)
{
    public bool IsSynced => SyncStatus == "Synced";
    public bool IsHealthy => Health == "Healthy";

    /// <summary>One line: <c>sync Synced at 1a2b3c4, health Healthy, last operation Succeeded for 1a2b3c4</c>.</summary>
    public override string ToString() =>
        $"sync {SyncStatus}{(SyncRevision is null ? "" : $" at {Short(SyncRevision)}")}, health {Health}{(HealthMessage is null ? "" : $" ({HealthMessage})")}, " +
        (LastOperation is null ? "no operation yet" : $"last operation {LastOperation}") + (OperationRequested ? ", an operation is requested" : "");

    internal static string Short(string revision) => revision[..Math.Min(7, revision.Length)];

    internal static ArgoApplication From(Application application)
    {
        var status = application.Status;
        var automated = application.Spec?.SyncPolicy?.Automated;
        return new ArgoApplication(
            application.Metadata?.Name ?? "",
            automated is not null && automated.Enabled != false,
            status?.Sync?.Status ?? "Unknown",
            status?.Sync?.Revision,
            status?.Health?.Status ?? "Unknown",
            string.IsNullOrEmpty(status?.Health?.Message) ? null : status.Health.Message,
            application.Operation is not null,
            status?.OperationState is { } state ? ArgoOperation.From(state) : null,
            status?.ReconciledAt,
            (status?.History ?? []).Select(entry => new ArgoHistoryEntry(entry.Id ?? 0, entry.Revision ?? "", entry.DeployedAt)).ToList());
    }
}

/// <summary>The last operation (sync or rollback) and its per-resource results.</summary>
public sealed record ArgoOperation(
    string Phase,
    string? Message,
    string? Revision,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    IReadOnlyList<ResourceOutcome> Resources)
{
    public bool IsFinished => FinishedAt is not null && Phase is not ("Running" or "Terminating");
    public bool Succeeded => Phase == "Succeeded";

    public override string ToString() =>
        $"{Phase}{(Revision is null ? "" : $" for {ArgoApplication.Short(Revision)}")}{(string.IsNullOrEmpty(Message) ? "" : $": {Message}")}";

    internal static ArgoOperation From(OperationState state) => new(
        state.Phase ?? "Unknown",
        state.Message,
        state.SyncResult?.Revision ?? state.Operation?.Sync?.Revision,
        state.StartedAt,
        state.FinishedAt,
        (state.SyncResult?.Resources ?? [])
            .Select(resource => new ResourceOutcome(resource.Kind ?? "", resource.Namespace, resource.Name ?? "", resource.Status, null, resource.Message))
            .ToList());
}

/// <summary>An entry of the application's own history; ids grow but have gaps, and only the last few are kept.</summary>
public sealed record ArgoHistoryEntry(long Id, string Revision, DateTimeOffset? DeployedAt);

/// <summary>One resource's part in a failure: its sync result and its health, with Argo CD's message.</summary>
public sealed record ResourceOutcome(string Kind, string? Namespace, string Name, string? SyncStatus, string? Health, string? Message)
{
    public override string ToString() =>
        $"{Kind} {(string.IsNullOrEmpty(Namespace) ? "" : Namespace + "/")}{Name}: " +
        string.Join(", ", new[] { SyncStatus, Health is null ? null : $"health {Health}" }.Where(part => part is not null)) +
        (string.IsNullOrEmpty(Message) ? "" : $" — {Message}");
}

/// <summary>The outcome of waiting for a deployment: healthy for the settle window, or why not, with the last state seen.</summary>
public sealed record DeploymentVerdict(bool Healthy, string Summary, ArgoApplication? LastSeen, IReadOnlyList<ResourceOutcome> Resources)
{
    /// <summary>The summary, the last state seen and the resources, for an error message.</summary>
    public string Describe() =>
        Summary
        + (LastSeen is null ? "" : $"\nLast state seen: {LastSeen}.")
        + (Resources.Count == 0 ? "" : "\nResources:\n" + string.Join('\n', Resources.Select(resource => $"  {resource}")));
}
