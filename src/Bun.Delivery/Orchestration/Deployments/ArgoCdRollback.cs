using Bun.Delivery.Integrations.Argo;
using Bun.Delivery.Model.Rules;
using Bun.Pipeline.Failures;
using Bun.Pipeline.Output;

namespace Bun.Delivery.Orchestration.Deployments;

/// <summary>
/// <c>Rollback --via argocd</c>: the emergency path for when git can't be written. It turns auto-sync off (Argo CD refuses
/// its rollback otherwise), rolls back to the previous entry of the application's own history, and waits. Git still
/// pins the bad version afterwards, so auto-sync must stay off until git is reverted.
/// </summary>
public static class ArgoCdRollback
{
    public static async Task<DeploymentVerdict> RunAsync(DeploymentSettings settings, DeliveryEnvironment environment, BuildOutput output, CancellationToken cancellation)
    {
        if (settings.ArgoCd is null)
            throw BuildFailure.BadInput("Rollback --via argocd talks to Argo CD only: give --argocd-server and --argocd-token (or --argocd-username and --argocd-password).");
        if (environment.Hosting != Hosting.Cluster)
            throw BuildFailure.BadInput($"{environment} is {environment.Purpose}: it has no Argo CD application. Roll back one of {Environments.Describe(Environments.Deployed)}.");

        var app = settings.ApplicationName(environment.Name);
        using var argo = await ArgoCd.ConnectAsync(settings.ArgoCd, output, cancellation);
        var wasAutomatic = await argo.DisableAutoSyncAsync(app, cancellation);
        var previous = await argo.RollbackToPreviousAsync(app, cancellation);
        var verdict = await argo.WaitRolledBackAsync(app, previous.Revision, settings.Settle, settings.Timeout, cancellation);

        output.Warning(
            $"{app} was rolled back by Argo CD to GitOps commit {ArgoApplication.Short(previous.Revision)} (its history entry {previous.Id}); " +
            $"auto-sync is {(wasAutomatic ? "now OFF" : "still off")}. Git still pins the version you rolled back from: revert git first " +
            $"(./build.sh Rollback --environment {environment} once git is reachable), and only then turn auto-sync back on, or Argo CD brings the bad version back.");
        return verdict.Healthy
            ? verdict
            : throw new BuildFailure($"The Argo CD rollback of {app} did not become healthy: {verdict.Describe()}");
    }
}
