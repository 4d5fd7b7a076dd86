using Bun.Delivery.Integrations.Argo;
using Bun.Delivery.Orchestration.Deployments;
using Bun.Delivery.Integrations.GitOps;
using Bun.Delivery.Model.Rules;
using Bun.Pipeline.Failures;
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

    private DeploymentSettings Deployment => new(
        new GitOpsSettings(RootDirectory, GitOpsRepo, GitOpsToken),
        ArgoCdServer is null ? null : new ArgoCdSettings(ArgoCdSettings.ParseServer(ArgoCdServer))
        {
            Token = ArgoCdToken, Username = ArgoCdUsername, Password = ArgoCdPassword,
            PollInterval = Duration(ArgoCdPollSeconds, TimeSpan.FromSeconds(1), "argocd-poll-seconds", zeroAllowed: false),
        })
    {
        Settle = Duration(SettleSeconds, TimeSpan.FromSeconds(1), "settle-seconds", zeroAllowed: true),
        Timeout = Duration(DeployTimeoutMinutes, TimeSpan.FromMinutes(1), "deploy-timeout-minutes", zeroAllowed: false),
        // "The deploy targets migrate their environment's database first when one is configured."
        BeforeCommit = DatabaseUrl is null ? null : MigrateDatabaseOfAsync,
    };

    private DeploymentActions Deployments => new(Deployment, Log);

    private async Task MigrateDatabaseOfAsync(DeliveryEnvironment environment, CancellationToken cancellation) =>
        await Migrator().MigrateAsync(TargetDatabase(environment), dryRun: false, cancellation);

    private static TimeSpan Duration(double value, TimeSpan unit, string parameter, bool zeroAllowed) =>
        value > 0 || (zeroAllowed && value == 0)
            ? unit * value
            : throw BuildFailure.BadInput($"--{parameter} must be {(zeroAllowed ? "0 or more" : "more than 0")}; got {value}.");
}
