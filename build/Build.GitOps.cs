using Bun.Delivery.Orchestration.Deployments;
using Bun.Pipeline.Parameters;
using Bun.Pipeline.Targets;

namespace Bun.Build;

/// <summary>
/// Where deployments go: the GitOps repository, Argo CD, how long a deployment may take to verify, and what else is
/// watched while it settles (docs/deploy.md).
/// </summary>
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

    [Parameter("After a sync: Prometheus's address; the service's error ratio must stay at or under --max-error-ratio. <env>=<url> for one environment.",
        Name = "prometheus-url")]
    public string[]? PrometheusUrl { get; set; }

    [Parameter("After a sync: a URL of the service that must answer 2xx on every poll. <env>=<url> for one environment.", Name = "health-url")]
    public string[]? HealthUrl { get; set; }

    [Parameter("With --prometheus-url: the share of 5xx answers a deployment may have, 0 to 1 (default 0.05). <env>=<ratio> for one environment.")]
    public string[]? MaxErrorRatio { get; set; }

    [Parameter("With --prometheus-url: the error ratio's rate window, in whole seconds, as the canary's AnalysisTemplate has it.")]
    public double ErrorRatioWindowSeconds { get; set; } = 60;

    private MonitoringParameters Monitoring => new(PrometheusUrl, HealthUrl, MaxErrorRatio, ErrorRatioWindowSeconds, EnvironmentTable);

    private DeploymentParameters DeploymentParameters =>
        new(GitOpsRepo, GitOpsToken, ArgoCdServer, ArgoCdToken, ArgoCdUsername, ArgoCdPassword, ArgoCdPollSeconds, SettleSeconds, DeployTimeoutMinutes)
            { Monitoring = Monitoring };

    private DeploymentActions Deployments => new(
        DeploymentParameters.Settings(RootDirectory, Databases.BeforeDeploy, HostEnvironment.IsGitHubActions ? HostEnvironment.Variables.GetValueOrDefault("GITHUB_ACTOR") : null)
            with { Recorder = DeploymentRecorder, BeforePromotion = ProductionGate.CheckAsync, AfterVerifiedPromotion = Releases.PublishAsync },
        Log);

    // Checked before anything runs: --settle-seconds -1 is refused before the image is built, not when the deploy starts.
    private Need DeploymentSettingsInRange => DeploymentParameters.InRange(RootDirectory);
}
