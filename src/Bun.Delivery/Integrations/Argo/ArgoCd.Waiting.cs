using Polly.Timeout;

namespace Bun.Delivery.Integrations.Argo;

/// <summary>Where a watched signal stands on one poll: still settling, fine, or broken (which ends the wait at once).</summary>
public enum WatchProgress
{
    Busy,
    Ready,
    Failed,
}

/// <summary>A signal's state on one poll, in one line for the output and, when it failed, for the verdict.</summary>
public sealed record Watched(WatchProgress Progress, string State);

/// <summary>
/// What else must hold while Bun waits for an application (a Rollout, the service's own signals), asked on every poll
/// with whether Argo CD's own part (operation done, Synced and Healthy) is ready. An exception ends the wait with it.
/// </summary>
public delegate Task<Watched> AlsoWatch(bool argoReady, CancellationToken cancellation);

// Waiting for a deployment, as `argocd app wait` judges readiness, plus a settle window.
public sealed partial class ArgoCd
{
    /// <summary>
    /// Waits until the operation for <paramref name="revision"/> has finished, the application is Synced and Healthy,
    /// and it stays so for <paramref name="settle"/>: an application can look Healthy for a moment right after a sync.
    /// </summary>
    /// <param name="also">Further signals that must be ready too, for the whole settle window; one that fails fails the wait.</param>
    public Task<DeploymentVerdict> WaitHealthyAsync(string app, string revision, TimeSpan settle, TimeSpan timeout, CancellationToken cancellation,
        RevisionMatch? sameDeployment = null, AlsoWatch? also = null) =>
        WaitAsync(app, new Expectation(revision, sameDeployment, RequireSynced: true, also), settle, timeout, cancellation);

    /// <summary>As <see cref="WaitHealthyAsync"/> after an Argo CD rollback, which leaves the application OutOfSync with git by design.</summary>
    public Task<DeploymentVerdict> WaitRolledBackAsync(string app, string revision, TimeSpan settle, TimeSpan timeout, CancellationToken cancellation) =>
        WaitAsync(app, new Expectation(revision, null, RequireSynced: false, null), settle, timeout, cancellation);

    private sealed record Expectation(string Revision, RevisionMatch? SameDeployment, bool RequireSynced, AlsoWatch? Also);

    private async Task<DeploymentVerdict> WaitAsync(string app, Expectation expected, TimeSpan settle, TimeSpan timeout, CancellationToken cancellation)
    {
        var matches = new Dictionary<string, bool>();
        ArgoApplication? last = null;
        var (progress, shown) = (WatchProgress.Busy, "");
        DateTimeOffset? readySince = null;
        try
        {
            // One poll: read, judge, and say whether waiting is over (failed, or ready for the whole settle window).
            await ArgoCdPolicies.UntilDone(_settings, timeout).ExecuteAsync(async token =>
            {
                last = await GetAsync(app, token);
                (progress, var state) = await JudgeAsync(last, expected, matches, token);
                if (expected.Also is { } also && progress != WatchProgress.Failed)
                    (progress, state) = Combine(progress, state, await also(progress == WatchProgress.Ready, token));
                if (state != shown)
                    _output.Dim($"Argo CD: {app}: {shown = state}");
                readySince = progress == WatchProgress.Ready ? readySince ?? DateTimeOffset.UtcNow : null;
                return progress == WatchProgress.Failed || DateTimeOffset.UtcNow - readySince >= settle;
            }, cancellation);
        }
        catch (TimeoutRejectedException)
        {
            return await FailedAsync(app, $"{app} was not Synced and Healthy at {ArgoApplication.Short(expected.Revision)} for {settle.TotalSeconds:0.###} s within {timeout.TotalSeconds:0.###} s ({shown}).", last, cancellation);
        }

        return progress == WatchProgress.Failed
            ? await FailedAsync(app, $"{app} did not become healthy: {shown}.", last, cancellation)
            : new DeploymentVerdict(true, $"{app} is Synced and Healthy at {ArgoApplication.Short(expected.Revision)} and stayed so for {settle.TotalSeconds:0.###} s.", last, []);
    }

    private static async Task<(WatchProgress, string)> JudgeAsync(ArgoApplication app, Expectation expected, Dictionary<string, bool> matches, CancellationToken cancellation)
    {
        var operation = app.LastOperation;
        if (operation?.Revision is not { } revision || !await MatchesAsync(revision, expected, matches, cancellation))
            return (WatchProgress.Busy, $"waiting for an operation that deploys {ArgoApplication.Short(expected.Revision)} (last: {operation?.ToString() ?? "none"})");
        if (app.OperationRequested || !operation.IsFinished)
            return (WatchProgress.Busy, $"operation {operation.Phase}");
        if (!operation.Succeeded)
            return (WatchProgress.Failed, $"the operation ended {operation}");
        if (app.ReconciledAt is null || app.ReconciledAt < operation.FinishedAt)
            return (WatchProgress.Busy, "operation finished, waiting for Argo CD to reconcile");
        if (expected.RequireSynced && !app.IsSynced)
            return (WatchProgress.Busy, $"sync status {app.SyncStatus}");
        if (app.Health == "Degraded")
            return (WatchProgress.Failed, $"health Degraded{(app.HealthMessage is null ? "" : $" ({app.HealthMessage})")}");
        return app.IsHealthy ? (WatchProgress.Ready, "Synced and Healthy, settling") : (WatchProgress.Busy, $"health {app.Health}");
    }

    // Argo CD's part and the other signals: the worse of the two, and both states while either is still settling.
    private static (WatchProgress, string) Combine(WatchProgress argo, string argoState, Watched also)
    {
        if (also.Progress == WatchProgress.Failed)
            return (WatchProgress.Failed, also.State);
        var state = also.State.Length == 0 ? argoState : $"{argoState}; {also.State}";
        return (argo == WatchProgress.Ready ? also.Progress : argo, state);
    }

    private static async Task<bool> MatchesAsync(string revision, Expectation expected, Dictionary<string, bool> matches, CancellationToken cancellation)
    {
        if (revision == expected.Revision)
            return true;
        if (expected.SameDeployment is null)
            return false;
        if (!matches.TryGetValue(revision, out var same))
            matches[revision] = same = await expected.SameDeployment(revision, cancellation);
        return same;
    }

    private async Task<DeploymentVerdict> FailedAsync(string app, string summary, ArgoApplication? last, CancellationToken cancellation)
    {
        var resources = (last?.LastOperation?.Resources ?? []).Where(resource => resource.SyncStatus != "Synced").ToList();
        try
        {
            resources.AddRange(await UnhealthyResourcesAsync(app, cancellation));
        }
        catch (ArgoCdException unavailable)
        {
            summary += $" (The resource tree could not be read: {unavailable.Message})";
        }

        return new DeploymentVerdict(false, summary, last, resources);
    }
}
