using Bun.Delivery.Integrations.Argo;
using Bun.Delivery.Integrations.GitOps;
using Bun.Delivery.Model.Rules;
using Bun.Pipeline.Failures;
using Bun.Pipeline.Output;

namespace Bun.Delivery.Orchestration.Deployments;

/// <summary>
/// <c>Rollback --via argocd</c>: the emergency path for when git can't be written. It picks the deployment to restore from
/// the GitOps history as a git rollback would, finds the entry of the application's own history whose revision deploys
/// that image, turns auto-sync off (Argo CD refuses its rollback otherwise), rolls back to that entry, and waits. Git
/// still pins the bad version afterwards, so auto-sync must stay off until git is reverted.
/// </summary>
public static class ArgoCdRollback
{
    public static async Task<DeploymentVerdict> RunAsync(
        DeploymentSettings settings, DeliveryEnvironment environment, string? toVersion, BuildOutput output, CancellationToken cancellation)
    {
        if (settings.ArgoCd is null)
            throw BuildFailure.BadInput("Rollback --via argocd talks to Argo CD only: give --argocd-server and --argocd-token (or --argocd-username and --argocd-password).");
        if (environment.Hosting != Hosting.Cluster)
            throw BuildFailure.BadInput($"{environment} is {environment.Purpose}: it has no Argo CD application; only cluster environments have one.");

        var app = settings.ApplicationName(environment.Name);
        await using var gitops = await GitOpsRepository.OpenAsync(settings.GitOps, output, cancellation);
        var target = RollbackTarget.Choose(await gitops.HistoryAsync(environment.Name, cancellation), toVersion, acceptUnverified: false);
        using var argo = await ArgoCd.ConnectAsync(settings.ArgoCd, output, cancellation);
        var entry = await EntryDeployingAsync(argo, gitops, app, environment, target, cancellation);
        output.Info($"Rolling {app} back through Argo CD to {target.Deployment.Version} ({target.Deployment.Image.Reference}): its history entry {entry.Id}, " +
                    $"GitOps commit {ArgoApplication.Short(entry.Revision)}.");
        var wasAutomatic = await argo.DisableAutoSyncAsync(app, cancellation);
        await argo.RollbackToAsync(app, entry, cancellation);
        var verdict = await argo.WaitRolledBackAsync(app, entry.Revision, settings.Settle, settings.Timeout, cancellation);

        output.Warning(
            $"{app} was rolled back by Argo CD to GitOps commit {ArgoApplication.Short(entry.Revision)} (its history entry {entry.Id}); " +
            $"auto-sync is {(wasAutomatic ? "now OFF" : "still off")}. Git still pins the version you rolled back from: revert git first " +
            $"(./build.sh Rollback --environment {environment} once git is reachable), and only then turn auto-sync back on, or Argo CD brings the bad version back.");
        return verdict.Healthy
            ? verdict
            : throw new BuildFailure($"The Argo CD rollback of {app} did not become healthy: {verdict.Describe()}");
    }

    // By revision, not by position: the newest entry whose GitOps revision pins the target's digest in this environment's overlay.
    private static async Task<ArgoHistoryEntry> EntryDeployingAsync(
        ArgoCd argo, GitOpsRepository gitops, string app, DeliveryEnvironment environment, DeploymentRecord target, CancellationToken cancellation)
    {
        var history = (await argo.GetAsync(app, cancellation)).History;
        foreach (var entry in history.Reverse())
        {
            if (await gitops.PinnedDigestAtAsync(environment.Name, entry.Revision, cancellation) == target.Deployment.Image.Digest)
                return entry;
        }

        var entries = history.Count == 0 ? "none" : string.Join(", ", history.Select(entry => $"{entry.Id} at {ArgoApplication.Short(entry.Revision)}"));
        throw new BuildFailure(
            $"Could not roll back {app} through Argo CD: no entry of its history deploys {target.Deployment.Version} ({target.Deployment.Image.Digest.Short}), " +
            $"the deployment to restore (entries: {entries}; Argo CD keeps only the last few). Nothing was changed. Roll back through git " +
            $"(./build.sh Rollback --environment {environment}), or pick a version Argo CD still has with --to-version.");
    }
}
