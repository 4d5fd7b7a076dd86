using Bun.Delivery.Integrations.Argo;
using Bun.Delivery.Integrations.GitOps;
using Bun.Delivery.Model.Images;
using Bun.Delivery.Model.Rules;
using Bun.Pipeline.Failures;
using Bun.Pipeline.Output;

namespace Bun.Delivery.Orchestration.Deployments;

/// <summary>
/// Deploy, promote and roll back (DESIGN §7–9): a GitOps commit, then a sync of <c>&lt;app&gt;-&lt;env&gt;</c>, then a wait until it is
/// healthy for the settle window, then the verdict recorded in git. Environments marked <c>RollbackOnFailure</c> in the
/// environments table are rolled back automatically after a failed verification.
/// </summary>
public sealed partial class Deployer : IAsyncDisposable
{
    private readonly DeploymentSettings _settings;
    private readonly GitOpsRepository _gitops;
    private readonly ArgoCd? _argo;
    private readonly BuildOutput _output;

    private Deployer(DeploymentSettings settings, GitOpsRepository gitops, ArgoCd? argo, BuildOutput output)
    {
        _settings = settings;
        _gitops = gitops;
        _argo = argo;
        _output = output;
    }

    public GitOpsRepository GitOps => _gitops;

    public static async Task<Deployer> OpenAsync(DeploymentSettings settings, BuildOutput output, CancellationToken cancellation)
    {
        var argo = settings.ArgoCd is null ? null : await ArgoCd.ConnectAsync(settings.ArgoCd, output, cancellation);
        try
        {
            return new Deployer(settings, await GitOpsRepository.OpenAsync(settings.GitOps, output, cancellation), argo, output);
        }
        catch
        {
            argo?.Dispose();
            throw;
        }
    }

    public Task<DeploymentOutcome> DeployAsync(DeploymentRequest request, CancellationToken cancellation)
    {
        RequireCommit(request.SourceCommit);
        var deployment = new Deployment(DeploymentAction.Deploy, request.Environment.Name, _gitops.App, request.Image, request.Version, request.SourceCommit, request.SourceRef)
        {
            LocalImage = request.LocalImage,
        };
        return ApplyAsync(deployment, request.Environment, cancellation);
    }

    /// <summary>
    /// Restores the newest earlier verified deployment that runs another image and was not rolled back from (see
    /// <see cref="RollbackTarget"/>), or the one of <paramref name="toVersion"/>, with a new commit (<c>Bun-Action: rollback</c>,
    /// <c>Bun-Replaces</c> naming the deployment it rolls back from) that works whether auto-sync is on or off. With
    /// <paramref name="abortRollout"/> (<c>--via rollouts</c>) the environment's Rollout is aborted through Argo CD first, once
    /// everything else has been checked, so that traffic is back on the stable version before the commit.
    /// </summary>
    public async Task<DeploymentOutcome> RollbackAsync(DeliveryEnvironment environment, string? toVersion, CancellationToken cancellation, bool abortRollout = false)
    {
        if (abortRollout && _argo is null)
            throw BuildFailure.BadInput("Rollback --via rollouts aborts the Rollout through Argo CD: give --argocd-server and --argocd-token (or --argocd-username and --argocd-password).");
        var history = await HistoryAsync(environment, cancellation);
        var target = RollbackTarget.Choose(history, toVersion, acceptUnverified: _argo is null);
        if (target.Verification != Verification.Healthy)
            _output.Warning(toVersion is not null
                ? $"{target.Deployment.Version} was never verified healthy in {environment}; rolling back to it all the same, as --to-version asks."
                : $"{target.Deployment.Version} was never verified in {environment} (no Argo CD is configured to verify anything); it is the newest earlier deployment that did not fail, so the rollback goes to it.");
        return await ApplyAsync(Restoring(target, history, environment), environment, cancellation, abortRollout);
    }

    /// <summary>
    /// DESIGN §9 steps 1 to 3: refuses unless the source environment (stage, for prod) runs the release HEAD, verified
    /// healthy, the gate (<see cref="DeploymentSettings.BeforePromotion"/>) lets it through and Argo CD can sync the
    /// promoted environment's application; only then tags the source's digest as the release version (which refuses a tag
    /// that points at another digest: release tags are immutable), and deploys that digest to the promoted environment and verifies it.
    /// </summary>
    public async Task<DeploymentOutcome> PromoteAsync(Promotion promotion, RetagImage retag, CancellationToken cancellation)
    {
        RequireCommit(promotion.ReleaseHead);
        var source = (await HistoryAsync(promotion.From, cancellation)).Current
                    ?? throw new BuildFailure($"{promotion.From} has no deployment yet, release HEAD is {Short(promotion.ReleaseHead)}: deploy to {promotion.From} first.");
        if (source.Deployment.SourceCommit != promotion.ReleaseHead)
            throw new BuildFailure($"{promotion.From} runs {Short(source.Deployment.SourceCommit)}, release HEAD is {Short(promotion.ReleaseHead)}: deploy to {promotion.From} first.");
        // The promoted environment's gate needs a verified source: a GitOps record alone says what was committed, not that it ran healthy.
        if (source.Verification != Verification.Healthy)
            throw new BuildFailure(_argo is null
                ? $"Won't promote: {promotion.From}'s deployment of {Short(promotion.ReleaseHead)} was never verified, and no Argo CD is configured (--argocd-server) " +
                  $"to verify it. The gate of {promotion.To} needs a {promotion.From} deployment verified healthy: give --argocd-server and run ./build.sh Verify --environment {promotion.From.Name} first."
                : $"{promotion.From} runs {Short(promotion.ReleaseHead)}, but that deployment {(source.Verification == Verification.Failed ? "failed its verification" : "was never verified healthy")}: " +
                  $"deploy to {promotion.From} again and let it verify before promoting.");
        if (source.Deployment.LocalImage)
            throw new BuildFailure(
                $"Won't promote: {promotion.From} runs {source.Deployment.Image.Reference}, an image of a local engine that no registry holds, so it can't be tagged {promotion.Version}. " +
                $"Deploy to {promotion.From} with --registry first.");
        if (_settings.BeforePromotion is { } gate)
            await gate(promotion, cancellation);
        // Argo CD reachable and the promoted environment's application present, before the registry changes.
        await _argo!.EnsureCanSyncAsync(_settings.ApplicationName(promotion.To.Name), cancellation);

        if (await retag(source.Deployment.Image, promotion.Version, cancellation))
            _output.Info($"Retagged {source.Deployment.Image.Reference} as {promotion.Version}, without rebuilding.");
        else
            _output.Info($"{promotion.Version} already tags {source.Deployment.Image.Reference}: promoting it again.");
        var deployment = new Deployment(DeploymentAction.Promote, promotion.To.Name, _gitops.App, source.Deployment.Image, promotion.Version,
            promotion.ReleaseHead, promotion.SourceRef);
        return await ApplyAsync(deployment, promotion.To, cancellation);
    }

    public Task<EnvironmentHistory> HistoryAsync(DeliveryEnvironment environment, CancellationToken cancellation)
    {
        RequireCluster(environment);
        return _gitops.HistoryAsync(environment.Name, cancellation);
    }

    public async ValueTask DisposeAsync()
    {
        _argo?.Dispose();
        await _gitops.DisposeAsync();
    }

    // Recorded (Deployer.Records.cs): every deploy, promotion and asked-for rollback; the automatic rollback belongs to its deploy's record.
    private Task<DeploymentOutcome> ApplyAsync(Deployment deployment, DeliveryEnvironment environment, CancellationToken cancellation, bool abortRollout = false) =>
        RecordedAsync(deployment, environment, async () => (await ApplyAsync(deployment, environment, replaced: null, cancellation, abortRollout))!, cancellation);

    /// <param name="replaced">For the automatic rollback: the digest this run deployed. The commit is then a compare-and-swap, made
    /// only while the environment still pins it; null when it no longer does.</param>
    /// <param name="abortRollout">Abort the Rollout through Argo CD just before the commit (<c>Rollback --via rollouts</c>).</param>
    private async Task<DeploymentOutcome?> ApplyAsync(
        Deployment deployment, DeliveryEnvironment environment, ImageDigest? replaced, CancellationToken cancellation, bool abortRollout = false)
    {
        RequireCluster(environment);
        var app = _settings.ApplicationName(environment.Name);
        // An unknown application, refused credentials or a closed sync window fail here, before anything is written to git;
        // so does a --prometheus-url that is not a Prometheus, or does not see the service (not re-asked by the automatic rollback).
        using var watch = _argo is null ? null : await WatchAsync(_argo, environment, deployment, checkFirst: replaced is null, cancellation);
        if (_argo is not null)
            await _argo.EnsureCanSyncAsync(app, cancellation);
        // Migrations are forward-only: a rollback runs the older image on the newer schema, never the other way round.
        if (deployment.Action != DeploymentAction.Rollback && _settings.BeforeCommit is { } beforeCommit)
            await beforeCommit(environment, cancellation);
        if (abortRollout)
            await AbortRolloutAsync(_argo!, app, environment, required: true, cancellation);

        deployment = deployment with { WithoutArgoCd = _argo is null };
        var pinned = replaced is null ? await _gitops.PinAsync(deployment, cancellation) : await _gitops.PinInsteadOfAsync(deployment, replaced, cancellation);
        if (pinned is not { } commit)
            return null;
        if (deployment.LocalImage)
            _output.Notice($"{deployment.Image.Reference} is an image of the local engine, pinned by its content digest and marked as local: no cluster could pull it.");
        if (_argo is null)
        {
            _output.Notice($"No Argo CD configured (--argocd-server): {deployment.Subject} is committed as {commit}, but the sync and the verification are skipped, so it stays unverified.");
            return new DeploymentOutcome(deployment, commit, Verification.Unverified);
        }

        var verdict = await VerdictAsync(_argo, app, environment, deployment, commit, syncUnlessDeployed: false, watch, cancellation);
        var rollsBack = !verdict.Healthy && environment.RollbackOnFailure && deployment.Action != DeploymentAction.Rollback;
        // Traffic goes back to the stable version first; recording the verdict and the GitOps rollback follow.
        if (rollsBack)
            await AbortRolloutAsync(_argo, app, environment, required: false, cancellation);
        await _gitops.RecordVerificationAsync(deployment, commit, verdict.Healthy, verdict.Summary, cancellation);
        if (verdict.Healthy)
        {
            _output.Success($"{deployment.Subject}: verified. {verdict.Summary}");
            return new DeploymentOutcome(deployment, commit, Verification.Healthy);
        }

        var failure = $"{deployment.Subject} failed its verification (commit {commit}, recorded as failed): {verdict.Describe()}";
        if (!rollsBack)
            throw new BuildFailure($"{failure}\nThe GitOps repository still pins it in {environment}. To go back: ./build.sh Rollback --environment {environment}");

        _output.Error(failure);
        _output.Warning($"{environment} is rolled back automatically after a failed deployment.");
        await StopStuckOperationAsync(_argo, app, verdict, cancellation);
        DeploymentOutcome? restored;
        try
        {
            restored = await RollBackAfterFailureAsync(environment, deployment, cancellation);
        }
        catch (BuildFailure rollback)
        {
            throw new BuildFailure($"{failure}\nThe automatic rollback of {environment} failed as well: {rollback.Message}");
        }

        throw new BuildFailure(restored is null
            ? $"{failure}\n{environment} was not rolled back automatically: another run has deployed to it since, so it no longer pins " +
              $"{deployment.Image.Digest.Short}. Nothing was changed; see ./build.sh History --environment {environment}."
            : $"{failure}\n{environment} was rolled back automatically to {restored.Deployment.Version} (commit {restored.Commit}), which is verified healthy.");
    }

    // A compare-and-swap: only while the environment still pins what this run deployed; null, with nothing changed, once another run has deployed.
    private async Task<DeploymentOutcome?> RollBackAfterFailureAsync(DeliveryEnvironment environment, Deployment failed, CancellationToken cancellation)
    {
        var history = await HistoryAsync(environment, cancellation);
        if (history.Current is not { } current || current.Deployment.Image.Digest != failed.Image.Digest)
            return null;
        var target = RollbackTarget.Choose(history, null, acceptUnverified: false);
        var rollback = Restoring(target, history, environment);
        // Recorded as a rollback of its own. Should another run deploy between the check above and the commit, the
        // compare-and-swap changes nothing, and the record says so.
        var superseded = new BuildFailure($"{environment} no longer pins {failed.Image.Digest.Short}: another run has deployed to it since.");
        DeploymentOutcome? restored = null;
        try
        {
            await RecordedAsync(rollback, environment, async () =>
                restored = await ApplyAsync(rollback, environment, failed.Image.Digest, cancellation) ?? throw superseded, cancellation);
        }
        catch (BuildFailure failure) when (ReferenceEquals(failure, superseded))
        {
            // Nothing was changed; the caller reports it.
        }

        return restored;
    }

    // The rollback commit: the target's deployment again, naming the deployment it replaces (Bun-Replaces) when what runs is known.
    private Deployment Restoring(DeploymentRecord target, EnvironmentHistory history, DeliveryEnvironment environment)
    {
        _output.Info($"Rolling {environment} back to {target.Deployment.Version} ({target.Deployment.Image.Reference}), first deployed by commit {target.Commit} on {target.Time:u}.");
        var replaces = history.Problem is null ? history.Current?.Commit : null;
        return target.Deployment with { Action = DeploymentAction.Rollback, Replaces = replaces, DeployedBy = null };
    }

    // A timed-out operation would block the rollback's sync; stopping it is what an operator would do first.
    private async Task StopStuckOperationAsync(ArgoCd argo, string app, DeploymentVerdict verdict, CancellationToken cancellation)
    {
        if (verdict.LastSeen is not { } last || !(last.OperationRequested || last.LastOperation is { IsFinished: false }))
            return;
        try
        {
            await argo.TerminateOperationAsync(app, cancellation);
        }
        catch (ArgoCdException failure)
        {
            _output.Warning($"Could not stop the running operation of {app} ({failure.Message}); the rollback waits for it instead.");
        }
    }

    private static void RequireCluster(DeliveryEnvironment environment)
    {
        if (environment.Hosting != Hosting.Cluster)
            throw BuildFailure.BadInput(
                $"{environment} is {environment.Purpose}: it isn't deployed through GitOps. Only cluster environments are.");
    }

    private static void RequireCommit(string sha)
    {
        if (sha.Length != 40 || !sha.All(Uri.IsHexDigit))
            throw BuildFailure.BadInput($"'{sha}' is not a full commit sha (40 hexadecimal characters); the GitOps trailers record the exact source commit.");
    }

    private static string Short(string sha) => sha[..Math.Min(7, sha.Length)];
}
