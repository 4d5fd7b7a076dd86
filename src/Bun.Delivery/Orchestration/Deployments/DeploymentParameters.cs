using Bun.Delivery.Integrations.Argo;
using Bun.Delivery.Integrations.GitOps;
using Bun.Delivery.Model.Rules;
using Bun.Pipeline.Failures;
using Bun.Pipeline.Parameters;
using Bun.Pipeline.Targets;

namespace Bun.Delivery.Orchestration.Deployments;

/// <summary>
/// The build's deployment parameters as given (<c>--gitops-repo</c>, <c>--argocd-*</c>, <c>--settle-seconds</c>,
/// <c>--deploy-timeout-minutes</c>), turned into <see cref="DeploymentSettings"/>: where the GitOps repository and Argo CD
/// are, and how long a deployment may take to verify (docs/deploy.md).
/// </summary>
public sealed record DeploymentParameters(
    string? GitOpsRepo,
    string? GitOpsToken,
    string? ArgoCdServer,
    string? ArgoCdToken,
    string? ArgoCdUsername,
    string? ArgoCdPassword,
    double ArgoCdPollSeconds,
    double SettleSeconds,
    double DeployTimeoutMinutes)
{
    /// <summary>What is watched of the service after a sync besides Argo CD; null watches nothing more.</summary>
    public MonitoringParameters? Monitoring { get; init; }

    /// <param name="root">The checkout: the default GitOps repository is created from its <c>deploy/</c>.</param>
    /// <param name="beforeCommit">What runs just before a deploy's GitOps commit (<see cref="DeploymentSettings.BeforeCommit"/>).</param>
    /// <param name="deployedBy">The GitHub actor in Actions; null for the checkout's git user (<see cref="GitOpsSettings.DeployedBy"/>).</param>
    public DeploymentSettings Settings(AbsolutePath root, Func<DeliveryEnvironment, CancellationToken, Task>? beforeCommit, string? deployedBy = null) => new(
        new GitOpsSettings(root, GitOpsRepo, GitOpsToken) { DeployedBy = deployedBy },
        ArgoCdServer is null ? null : new ArgoCdSettings(ArgoCdSettings.ParseServer(ArgoCdServer))
        {
            Token = ArgoCdToken, Username = ArgoCdUsername, Password = ArgoCdPassword,
            PollInterval = Duration(ArgoCdPollSeconds, TimeSpan.FromSeconds(1), "argocd-poll-seconds", zeroAllowed: false),
        })
    {
        Settle = Duration(SettleSeconds, TimeSpan.FromSeconds(1), "settle-seconds", zeroAllowed: true),
        Timeout = Duration(DeployTimeoutMinutes, TimeSpan.FromMinutes(1), "deploy-timeout-minutes", zeroAllowed: false),
        BeforeCommit = beforeCommit,
        Monitoring = Monitoring?.Read() ?? (_ => ServiceMonitoring.None),
    };

    /// <summary>
    /// The deploy targets' settings parse and every duration is in range, checked before anything runs rather than
    /// when a deploy starts (after the image was pushed).
    /// </summary>
    public Need InRange(AbsolutePath root) => Need.Of("deployment settings in range", () =>
    {
        _ = Settings(root, beforeCommit: null);
        return NeedStatus.Ok();
    });

    private static TimeSpan Duration(double value, TimeSpan unit, string parameter, bool zeroAllowed) =>
        value > 0 || (zeroAllowed && value == 0)
            ? unit * value
            : throw BuildFailure.BadInput($"--{parameter} must be {(zeroAllowed ? "0 or more" : "more than 0")}; got {value}.");
}
