using Bun.Delivery.Model.Images;
using Bun.Delivery.Model.Rules;
using Bun.Delivery.Orchestration.Deployments;
using Bun.Pipeline.Parameters;
using Bun.Pipeline.Targets;

namespace Bun.Build;

/// <summary>
/// One target per deployed environment; DeploysTo takes each one's description and guard from the environments table.
/// A deploy pins the digest PushImage pushed in this run; a promotion retags the digest stage verified; a rollback is a
/// new GitOps commit; Verify records a verdict again (docs/deploy.md). Where the GitOps repository and Argo CD are: Build.GitOps.cs.
/// </summary>
public sealed partial class Build
{
    [Parameter("Rollback: the version to go back to (default: the newest earlier one verified healthy that was not rolled back from).")]
    public string? ToVersion { get; set; }

    [Parameter("Rollback: git (a new GitOps commit, then sync and verify), rollouts (abort the Rollout through Argo CD first, then as git) or argocd (Argo CD's own rollback, for when git can't be written).")]
    public RollbackVia Via { get; set; } = RollbackVia.Git;

    [Parameter("Deploy targets: the image to deploy, <repository>@sha256:<digest>, as PushImage reports it (a workflow's deploy job gets it from the build job); default the one PushImage recorded in .nuke/temp/pushed-image.json.")]
    public string? Image { get; set; }

    public Target DeployDev => _ => Deploying(_)
        .DeploysTo(Environments.Dev, EnvironmentTable, () => Context)
        .DependsOn(PushImage)
        .Executes(cancellation => DeployAsync(Environments.Dev, cancellation));

    public Target DeployTest => _ => Deploying(_)
        .DeploysTo(Environments.Test, EnvironmentTable, () => Context)
        .DependsOn(PushImage)
        .Executes(cancellation => DeployAsync(Environments.Test, cancellation));

    public Target DeployStage => _ => Deploying(_)
        .DeploysTo(Environments.Stage, EnvironmentTable, () => Context)
        .DependsOn(PushImage)
        .Executes(cancellation => DeployAsync(Environments.Stage, cancellation));

    // Promotion retags the digest its source in the table (stage) verified: it never builds or pushes an image of its own.
    public Target PromoteProd => _ => Deploying(_)
        .DeploysTo(Environments.Prod, EnvironmentTable, () => Context)
        .Uses(() => RegistryUsername).Uses(() => RegistryPassword).Uses(() => RequiredChecks).Uses(() => RequiredApprovals)
        .Executes(cancellation => Deployments.PromoteAsync(Environments.Prod, EnvironmentTable, Context, RegistryCredentials.From(RegistryUsername, RegistryPassword), cancellation));

    public Target Rollback => _ => OnGitHub(GitOpsAndArgoCd(_)).Uses(() => EnvironmentUrl)
        .Uses(() => ToVersion).Uses(() => Via)
        .Description($"Rolls --environment ({Environments.Describe(EnvironmentTable.Deployed)}) back to its newest earlier verified deployment, never to one it rolled back from; from any branch.")
        .Requires(() => Environment)
        .Guard(() => Guards.Rollback(nameof(Rollback), SelectedEnvironment, EnvironmentTable))
        .Executes(cancellation => Deployments.RollbackAsync(SelectedEnvironment!, ToVersion, Via, cancellation));

    public Target Verify => _ => GitOpsAndArgoCd(_)
        .Description($"Verifies what --environment ({Environments.Describe(EnvironmentTable.Deployed)}) runs now through Argo CD and records the verdict in the GitOps history.")
        .Requires(() => Environment)
        .Guard(() => Guards.Verify(nameof(Verify), SelectedEnvironment, EnvironmentTable))
        .Executes(cancellation => Deployments.VerifyAsync(SelectedEnvironment!, cancellation));

    public Target History => _ => _
        .Group("deploy")
        .Needs(() => [DeploymentSettingsInRange])
        .Description($"Lists the deployments of --environment ({Environments.Describe(EnvironmentTable.Deployed)}), newest first, from the GitOps history; --json for tools.")
        .Requires(() => Environment)
        .Guard(() => Guards.History(nameof(History), SelectedEnvironment, EnvironmentTable))
        .Executes(cancellation => Deployments.HistoryAsync(SelectedEnvironment!, Json ? WriteJson : null, cancellation));

    // The image the build job of a workflow handed over, or else the one PushImage recorded in this checkout.
    // Uncommitted work and, where the gate says so, untested code are refused before anything changes.
    private Task DeployAsync(DeliveryEnvironment environment, CancellationToken cancellation)
    {
        DeploymentGates.RefuseUncommittedWork(environment, Context);
        DeploymentGates.RequirePassedTests(environment, Context, RootDirectory, HostEnvironment.IsGitHubActions, Log);
        return Image is null
            ? Deployments.DeployPushedImageAsync(environment, Context, PushedImageRecord, cancellation)
            : Deployments.DeployImageAsync(environment, Context, Image, cancellation);
    }

    // What a deployment reads (Build.GitOps.cs): the image, where GitOps and Argo CD are, and the database it migrates first.
    private ITargetDefinition Deploying(ITargetDefinition target) => OnGitHub(GitOpsAndArgoCd(target))
        .Uses(() => Image).Uses(() => DatabaseUrl).Uses(() => EnvironmentUrl)
        .Needs(() => [Databases.UrlParses("no --database-url: no database is migrated first")]);

    private ITargetDefinition GitOpsAndArgoCd(ITargetDefinition target) => target
        .Group("deploy")
        .Needs(() => [DeploymentSettingsInRange])
        .Uses(() => GitOpsRepo).Uses(() => GitOpsToken)
        .Uses(() => ArgoCdServer).Uses(() => ArgoCdToken).Uses(() => ArgoCdUsername).Uses(() => ArgoCdPassword)
        .Uses(() => PrometheusUrl).Uses(() => HealthUrl).Uses(() => MaxErrorRatio);

    // What PushImage wrote in this run: the repository, the tag and the digest the registry answered.
    private AbsolutePath PushedImageRecord => AbsolutePath.From(PushedImage.RecordPath(RootDirectory));
}
