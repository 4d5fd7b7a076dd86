using Polly.Timeout;

namespace Bun.Delivery.Integrations.Argo;

// Waiting for a deployment, as `argocd app wait` judges readiness, plus a settle window.
public sealed partial class ArgoCd
{
    /// <summary>
    /// Waits until the operation for <paramref name="revision"/> has finished, the application is Synced and Healthy,
    /// and it stays so for <paramref name="settle"/>: an application can look Healthy for a moment right after a sync.
    /// </summary>
    public Task<DeploymentVerdict> WaitHealthyAsync(string app, string revision, TimeSpan settle, TimeSpan timeout, CancellationToken cancellation,
        RevisionMatch? sameDeployment = null) =>
        WaitAsync(app, new Expectation(revision, sameDeployment, RequireSynced: true), settle, timeout, cancellation);

    /// <summary>As <see cref="WaitHealthyAsync"/> after an Argo CD rollback, which leaves the application OutOfSync with git by design.</summary>
    public Task<DeploymentVerdict> WaitRolledBackAsync(string app, string revision, TimeSpan settle, TimeSpan timeout, CancellationToken cancellation) =>
        WaitAsync(app, new Expectation(revision, null, RequireSynced: false), settle, timeout, cancellation);

    private sealed record Expectation(string Revision, RevisionMatch? SameDeployment, bool RequireSynced);

    private enum Progress
    {
        Busy,
        Ready,
        Failed,
    }

    private async Task<DeploymentVerdict> WaitAsync(string app, Expectation expected, TimeSpan settle, TimeSpan timeout, CancellationToken cancellation)
    {
        var matches = new Dictionary<string, bool>();
        ArgoApplication? last = null;
        var (progress, shown) = (Progress.Busy, "");
        DateTimeOffset? readySince = null;
        try
        {
            // One poll: read, judge, and say whether waiting is over (failed, or ready for the whole settle window).
            await ArgoCdPolicies.UntilDone(_settings, timeout).ExecuteAsync(async token =>
            {
                last = await GetAsync(app, token);
                (progress, var state) = await JudgeAsync(last, expected, matches, token);
                if (state != shown)
                    _output.Dim($"Argo CD: {app}: {shown = state}");
                readySince = progress == Progress.Ready ? readySince ?? DateTimeOffset.UtcNow : null;
                return progress == Progress.Failed || DateTimeOffset.UtcNow - readySince >= settle;
            }, cancellation);
        }
        catch (TimeoutRejectedException)
        {
            return await FailedAsync(app, $"{app} was not Synced and Healthy at {ArgoApplication.Short(expected.Revision)} for {settle.TotalSeconds:0.###} s within {timeout.TotalSeconds:0.###} s ({shown}).", last, cancellation);
        }

        return progress == Progress.Failed
            ? await FailedAsync(app, $"{app} did not become healthy: {shown}.", last, cancellation)
            : new DeploymentVerdict(true, $"{app} is Synced and Healthy at {ArgoApplication.Short(expected.Revision)} and stayed so for {settle.TotalSeconds:0.###} s.", last, []);
    }

    private static async Task<(Progress, string)> JudgeAsync(ArgoApplication app, Expectation expected, Dictionary<string, bool> matches, CancellationToken cancellation)
    {
        var operation = app.LastOperation;
        if (operation?.Revision is not { } revision || !await MatchesAsync(revision, expected, matches, cancellation))
            return (Progress.Busy, $"waiting for an operation that deploys {ArgoApplication.Short(expected.Revision)} (last: {operation?.ToString() ?? "none"})");
        if (app.OperationRequested || !operation.IsFinished)
            return (Progress.Busy, $"operation {operation.Phase}");
        if (!operation.Succeeded)
            return (Progress.Failed, $"the operation ended {operation}");
        if (app.ReconciledAt is null || app.ReconciledAt < operation.FinishedAt)
            return (Progress.Busy, "operation finished, waiting for Argo CD to reconcile");
        if (expected.RequireSynced && !app.IsSynced)
            return (Progress.Busy, $"sync status {app.SyncStatus}");
        if (app.Health == "Degraded")
            return (Progress.Failed, $"health Degraded{(app.HealthMessage is null ? "" : $" ({app.HealthMessage})")}");
        return app.IsHealthy ? (Progress.Ready, "Synced and Healthy, settling") : (Progress.Busy, $"health {app.Health}");
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
