using Bun.Delivery.Integrations.Argo;
using Bun.Delivery.Integrations.GitOps;
using Bun.Delivery.Model.Rules;
using Bun.Pipeline.Failures;

namespace Bun.Delivery.Orchestration.Deployments;

// Getting a verdict from Argo CD, and getting it again with Verify when a deploy could not.
public sealed partial class Deployer
{
    /// <summary>
    /// <c>Verify --environment &lt;env&gt;</c>: verifies the deployment the environment runs now according to git, as a
    /// deploy would have (a sync first, if Argo CD never deployed that commit), and records the verdict. Used after a
    /// deploy whose verdict stayed unknown because Argo CD could not be reached. A failed verdict rolls nothing back.
    /// </summary>
    public async Task<DeploymentOutcome> VerifyAsync(DeliveryEnvironment environment, CancellationToken cancellation)
    {
        if (_argo is null)
            throw BuildFailure.BadInput("Verify asks Argo CD: give --argocd-server and --argocd-token (or --argocd-username and --argocd-password).");
        var current = (await HistoryAsync(environment, cancellation)).Current
                      ?? throw new BuildFailure($"Nothing to verify: {environment} has no deployment in the GitOps history yet. The GitOps repository is unchanged.");
        var app = _settings.ApplicationName(environment.Name);
        var deployment = current.Deployment;
        _output.Info($"Verifying {environment}: {deployment.Version} ({deployment.Image.Reference}), deployed by commit {current.Commit} on {current.Time:u}.");
        using var watch = await WatchAsync(_argo, environment, deployment, checkFirst: true, cancellation);
        var verdict = await VerdictAsync(_argo, app, environment, deployment, current.Commit, syncUnlessDeployed: true, watch, cancellation);
        await _gitops.RecordVerificationAsync(deployment, current.Commit, verdict.Healthy, verdict.Summary, cancellation);
        if (!verdict.Healthy)
            throw new BuildFailure(
                $"{deployment.Subject} failed its verification (commit {current.Commit}, recorded as failed): {verdict.Describe()}\n" +
                $"Nothing was rolled back. To go back: ./build.sh Rollback --environment {environment}");
        _output.Success($"{deployment.Subject}: verified. {verdict.Summary}");
        return new DeploymentOutcome(deployment, current.Commit, Verification.Healthy);
    }

    /// <summary>
    /// Syncs and waits for the verdict, watching <paramref name="watch"/>'s signals on every poll. An Argo CD that can't be
    /// reached or answers 5xx, or a Prometheus or health URL that can't be, gave none: that is not a failed verification, so
    /// nothing is recorded or rolled back, and the run fails saying how to verify again.
    /// </summary>
    /// <param name="syncUnlessDeployed">Verify: sync only when Argo CD's last operation did not deploy the commit.</param>
    private async Task<DeploymentVerdict> VerdictAsync(
        ArgoCd argo, string app, DeliveryEnvironment environment, Deployment deployment, GitOpsCommit commit, bool syncUnlessDeployed,
        DeploymentWatch? watch, CancellationToken cancellation)
    {
        RevisionMatch sameDeployment = (revision, token) => _gitops.CarriesAsync(deployment.Environment, commit, revision, token);
        try
        {
            var deployed = syncUnlessDeployed && (await argo.GetAsync(app, cancellation)).LastOperation?.Revision is { } last && await sameDeployment(last, cancellation);
            if (!deployed)
                await argo.SyncAsync(app, commit.Sha, cancellation);
            if (watch is not null)
                _output.Info($"Watching {app} for {_settings.Settle.TotalSeconds:0.###} s once Synced and Healthy: Argo CD, {watch.Describe()}.");
            return await argo.WaitHealthyAsync(app, commit.Sha, _settings.Settle, _settings.Timeout, cancellation, sameDeployment, watch is null ? null : watch.PollAsync);
        }
        catch (SignalUnknownException unknown)
        {
            throw new BuildFailure(
                $"{deployment.Subject} is committed as {commit}, but its verdict is unknown: {unknown.Message}\n" +
                $"Nothing was recorded as failed and nothing was rolled back. Once it answers, verify it: ./build.sh Verify --environment {environment}");
        }
        catch (ArgoCdException unavailable) when (unavailable.ServerUnavailable)
        {
            throw new BuildFailure(
                $"{deployment.Subject} is committed as {commit}, but its verdict is unknown: {unavailable.Message}\n" +
                $"Nothing was recorded as failed and nothing was rolled back. Once Argo CD answers, verify it: ./build.sh Verify --environment {environment}");
        }
        catch (ArgoCdException failure)
        {
            return new DeploymentVerdict(false, failure.Message, null, []);
        }
    }
}
