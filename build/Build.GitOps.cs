using Bun.Delivery.Orchestration.Deployments;
using Bun.Pipeline.Parameters;

namespace Bun.Build;

/// <summary>Where deployments go: the GitOps repository, Argo CD, and how long a deployment may take to verify (docs/deploy.md).</summary>
public sealed partial class Build
{
    [Parameter("The GitOps repository: an https or ssh URL, or a path to a bare repository (default .nuke/temp/gitops, created from deploy/).",
        Name = "gitops-repo")]
    public string? GitOpsRepo { get; set; }

    [Parameter("The token for an https GitOps repository (sent as a header, never in a URL).", Name = "gitops-token"), Secret]
    public string? GitOpsToken { get; set; }

    [Parameter("Argo CD: https://argocd.example.com or a host, as the argocd CLI takes it. Without it deployments are committed, not synced or verified.",
        Name = "argocd-server")]
    public string? ArgoCdServer { get; set; }

    [Parameter("Argo CD: an account token (Authorization: Bearer).", Name = "argocd-token"), Secret]
    public string? ArgoCdToken { get; set; }

    [Parameter("Argo CD: a user name, with --argocd-password, instead of a token.", Name = "argocd-username")]
    public string? ArgoCdUsername { get; set; }

    [Parameter("Argo CD: the password of --argocd-username.", Name = "argocd-password"), Secret]
    public string? ArgoCdPassword { get; set; }

    [Parameter("Argo CD: how often to read the application while waiting, in seconds.", Name = "argocd-poll-seconds")]
    public double ArgoCdPollSeconds { get; set; } = 2;

    [Parameter("How long the application must stay Synced and Healthy before a deployment counts as verified, in seconds.")]
    public double SettleSeconds { get; set; } = 30;

    [Parameter("How long a deployment may take to be verified, settle window included, in minutes.")]
    public double DeployTimeoutMinutes { get; set; } = 10;

    private DeploymentActions Deployments => new(
        new DeploymentParameters(GitOpsRepo, GitOpsToken, ArgoCdServer, ArgoCdToken, ArgoCdUsername, ArgoCdPassword, ArgoCdPollSeconds, SettleSeconds, DeployTimeoutMinutes)
            .Settings(RootDirectory, Databases.BeforeDeploy) with { Recorder = DeploymentRecorder, BeforePromotion = ProductionGate.CheckAsync, AfterVerifiedPromotion = Releases.PublishAsync },
        Log);
}
