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
        var deployment = new Deployment(DeploymentAction.Deploy, request.Environment.Name, _gitops.App, request.Image, request.Version, request.SourceCommit, request.SourceRef);
        return ApplyAsync(deployment, request.Environment, cancellation);
    }

    /// <summary>
    /// Restores the newest earlier verified deployment that runs another image and was not rolled back from (see
    /// <see cref="RollbackTarget"/>), or the one of <paramref name="toVersion"/>, with a new commit (<c>Bun-Action: rollback</c>,
    /// <c>Bun-Replaces</c> naming the deployment it rolls back from) that works whether auto-sync is on or off.
    /// </summary>
    public async Task<DeploymentOutcome> RollbackAsync(DeliveryEnvironment environment, string? toVersion, CancellationToken cancellation)
    {
        var history = await HistoryAsync(environment, cancellation);
        var target = RollbackTarget.Choose(history, toVersion, acceptUnverified: _argo is null);
        if (target.Verification != Verification.Healthy)
            _output.Warning($"{target.Deployment.Version} was never verified healthy in {environment}; rolling back to it all the same, as asked.");
        return await ApplyAsync(Restoring(target, history, environment), environment, cancellation);
    }

    /// <summary>
    /// DESIGN §9 steps 1 to 3: refuses unless stage runs the release HEAD (verified, when Argo CD can verify), the gate
    /// (<see cref="DeploymentSettings.BeforePromotion"/>) lets it through and Argo CD can sync the prod application; only then tags the stage digest as the release version (which refuses a tag that
    /// points at another digest: release tags are immutable), and deploys that digest to prod and verifies it.
    /// </summary>
    public async Task<DeploymentOutcome> PromoteAsync(Promotion promotion, RetagImage retag, CancellationToken cancellation)
    {
        RequireCommit(promotion.ReleaseHead);
        var stage = (await HistoryAsync(Environments.Stage, cancellation)).Current
                    ?? throw new BuildFailure($"stage has no deployment yet, release HEAD is {Short(promotion.ReleaseHead)}: deploy to stage first (DeployStage).");
        if (stage.Deployment.SourceCommit != promotion.ReleaseHead)
            throw new BuildFailure($"stage runs {Short(stage.Deployment.SourceCommit)}, release HEAD is {Short(promotion.ReleaseHead)}: deploy to stage first (DeployStage).");
        if (stage.Verification == Verification.Failed || (stage.Verification == Verification.Unverified && _argo is not null))
            throw new BuildFailure(
                $"stage runs {Short(promotion.ReleaseHead)}, but that deployment {(stage.Verification == Verification.Failed ? "failed its verification" : "was never verified healthy")}: " +
                "deploy to stage again (DeployStage) and let it verify before promoting.");
        if (stage.Verification == Verification.Unverified)
            _output.Notice("stage's deployment was never verified (no Argo CD configured): promoting on the GitOps record alone.");
        if (_settings.BeforePromotion is { } gate)
            await gate(promotion, cancellation);
        // Argo CD reachable and the prod application present, before the registry changes.
        if (_argo is not null)
            await _argo.EnsureCanSyncAsync(_settings.ApplicationName(Environments.Prod.Name), cancellation);

        if (await retag(stage.Deployment.Image, promotion.Version, cancellation))
            _output.Info($"Retagged {stage.Deployment.Image.Reference} as {promotion.Version}, without rebuilding.");
        else
            _output.Info($"{promotion.Version} already tags {stage.Deployment.Image.Reference}: promoting it again.");
        var deployment = new Deployment(DeploymentAction.Promote, Environments.Prod.Name, _gitops.App, stage.Deployment.Image, promotion.Version,
            promotion.ReleaseHead, promotion.SourceRef);
        return await ApplyAsync(deployment, Environments.Prod, cancellation);
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

    private Task<DeploymentOutcome> ApplyAsync(Deployment deployment, DeliveryEnvironment environment, CancellationToken cancellation) =>
        RecordedAsync(deployment, environment, async () => (await ApplyAsync(deployment, environment, replaced: null, cancellation))!, cancellation);

    /// <param name="replaced">For the automatic rollback: the digest this run deployed. The commit is then a compare-and-swap, made
    /// only while the environment still pins it; null when it no longer does.</param>
    private async Task<DeploymentOutcome?> ApplyAsync(Deployment deployment, DeliveryEnvironment environment, ImageDigest? replaced, CancellationToken cancellation)
    {
        RequireCluster(environment);
        var app = _settings.ApplicationName(environment.Name);
        // An unknown application, refused credentials or a closed sync window fail here, before anything is written to git.
        if (_argo is not null)
            await _argo.EnsureCanSyncAsync(app, cancellation);
        // Migrations are forward-only: a rollback runs the older image on the newer schema, never the other way round.
        if (deployment.Action != DeploymentAction.Rollback && _settings.BeforeCommit is { } beforeCommit)
            await beforeCommit(environment, cancellation);

        var pinned = replaced is null ? await _gitops.PinAsync(deployment, cancellation) : await _gitops.PinInsteadOfAsync(deployment, replaced, cancellation);
        if (pinned is not { } commit)
            return null;
        if (_argo is null)
        {
            _output.Notice($"No Argo CD configured (--argocd-server): {deployment.Subject} is committed as {commit}, but the sync and the verification are skipped, so it stays unverified.");
            return new DeploymentOutcome(deployment, commit, Verification.Unverified);
        }

        var verdict = await VerdictAsync(_argo, app, environment, deployment, commit, syncUnlessDeployed: false, cancellation);
        await _gitops.RecordVerificationAsync(deployment, commit, verdict.Healthy, verdict.Summary, cancellation);
        if (verdict.Healthy)
        {
            _output.Success($"{deployment.Subject}: verified. {verdict.Summary}");
            return new DeploymentOutcome(deployment, commit, Verification.Healthy);
        }

        var failure = $"{deployment.Subject} failed its verification (commit {commit}, recorded as failed): {verdict.Describe()}";
        if (!environment.RollbackOnFailure || deployment.Action == DeploymentAction.Rollback)
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
        return await ApplyAsync(Restoring(target, history, environment), environment, failed.Image.Digest, cancellation);
    }

    // The rollback commit: the target's deployment again, naming the deployment it replaces (Bun-Replaces) when what runs is known.
    private Deployment Restoring(DeploymentRecord target, EnvironmentHistory history, DeliveryEnvironment environment)
    {
        _output.Info($"Rolling {environment} back to {target.Deployment.Version} ({target.Deployment.Image.Reference}), first deployed by commit {target.Commit} on {target.Time:u}.");
        var replaces = history.Problem is null ? history.Current?.Commit : null;
        return target.Deployment with { Action = DeploymentAction.Rollback, Replaces = replaces };
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
                $"{environment} is {environment.Purpose}: it isn't deployed through GitOps. The deployed environments are {Environments.Describe(Environments.Deployed)}.");
    }

    private static void RequireCommit(string sha)
    {
        if (sha.Length != 40 || !sha.All(Uri.IsHexDigit))
            throw BuildFailure.BadInput($"'{sha}' is not a full commit sha (40 hexadecimal characters); the GitOps trailers record the exact source commit.");
    }

    private static string Short(string sha) => sha[..Math.Min(7, sha.Length)];
}
