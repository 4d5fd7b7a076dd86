using Bun.Delivery.Integrations.Argo;
using Bun.Delivery.Integrations.GitOps;
using Bun.Delivery.Model.Rules;
using Bun.Pipeline.Failures;

namespace Bun.Delivery.Orchestration.Deployments;

// What a verification watches besides Argo CD (the Rollout, the health URL, Prometheus), and aborting the Rollout.
public sealed partial class Deployer
{
    private async Task<DeploymentWatch> WatchAsync(ArgoCd argo, DeliveryEnvironment environment, Deployment deployment, bool checkFirst, CancellationToken cancellation)
    {
        var monitoring = _settings.Monitoring(environment.Name);
        var @namespace = monitoring.Prometheus is null ? null : await _gitops.NamespaceAsync(environment.Name, cancellation);
        var watch = new DeploymentWatch(argo, _settings.ApplicationName(environment.Name), _gitops.App, @namespace, monitoring,
            afterSwitch: deployment.Action == DeploymentAction.Rollback);
        try
        {
            if (checkFirst)
                await watch.CheckAsync(cancellation);
            return watch;
        }
        catch
        {
            watch.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Aborts the environment's Rollout through Argo CD's resource action, so that traffic goes back to the stable version
    /// at once. <paramref name="required"/> (<c>--via rollouts</c>): a missing Rollout or a refused abort is one line with
    /// nothing changed. Otherwise (the automatic rollback) an application without a Rollout has nothing to abort, and a
    /// refused abort is a warning: the GitOps rollback follows either way.
    /// </summary>
    private async Task AbortRolloutAsync(ArgoCd argo, string app, DeliveryEnvironment environment, bool required, CancellationToken cancellation)
    {
        try
        {
            var rollout = await argo.FindRolloutAsync(app, _gitops.App, cancellation);
            if (rollout is null && required)
                rollout = ArgoResource.Rollout(await _gitops.NamespaceAsync(environment.Name, cancellation) ?? "", _gitops.App);
            if (rollout is null)
                return;
            // Reading it also fails, naming what the application has, when there is no such Rollout.
            var status = await argo.ReadRolloutAsync(app, rollout, cancellation);
            if (status.Aborted)
            {
                _output.Info($"{rollout} in {app} is aborted already ({status}): traffic is on the stable version.");
                return;
            }

            var endpoint = await argo.RunActionAsync(app, rollout, "abort", cancellation);
            _output.Warning($"Aborted {rollout} in {app} through Argo CD ({(endpoint == ArgoActionEndpoint.V2 ? "actions/v2" : "the endpoint before 3.2")}): " +
                            "traffic is back on the stable version; the GitOps rollback follows.");
        }
        catch (ArgoCdException refused) when (required && !refused.ServerUnavailable)
        {
            throw new BuildFailure($"{refused.Message} Nothing was changed. Roll back through git instead: ./build.sh Rollback --environment {environment}");
        }
        catch (ArgoCdException refused) when (!required)
        {
            _output.Warning($"Could not abort the Rollout of {app} ({refused.Message}); rolling back through git all the same.");
        }
    }
}
