using Bun.Delivery.Integrations.Argo;
using Bun.Delivery.Integrations.GitOps;
using Bun.Delivery.Model.Rules;

namespace Bun.Delivery.Orchestration.Deployments;

/// <summary>Everything a deployment, promotion or rollback needs: the GitOps repository, Argo CD if any, and how long to wait.</summary>
/// <param name="ArgoCd">Null when no <c>--argocd-server</c> is given: the sync and the verification are skipped with a notice.</param>
public sealed record DeploymentSettings(GitOpsSettings GitOps, ArgoCdSettings? ArgoCd)
{
    /// <summary>How long the application must stay Synced and Healthy before the deployment counts as verified.</summary>
    public TimeSpan Settle { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a deployment may take to become healthy, settle window included.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Runs just before the GitOps commit of a deploy or a promotion, after Argo CD has been checked, and never before a
    /// rollback: the build migrates the environment's database here, so a deployment never runs on an older schema, and
    /// a refused Argo CD leaves the database untouched. A failure stops the deployment with git unchanged.
    /// </summary>
    public Func<DeliveryEnvironment, CancellationToken, Task>? BeforeCommit { get; init; }

    /// <summary>What is watched of each environment's service besides Argo CD and the Rollout (<c>--prometheus-url</c>, <c>--health-url</c>, <c>--max-error-ratio</c>).</summary>
    public Func<string, ServiceMonitoring> Monitoring { get; init; } = _ => ServiceMonitoring.None;

    /// <summary>
    /// PromoteProd's gate (DESIGN §9 step 2): runs once stage is known to run the release HEAD, before the registry or
    /// git changes; a refusal stops the promotion with nothing changed.
    /// </summary>
    public Func<Promotion, CancellationToken, Task>? BeforePromotion { get; init; }

    /// <summary>Runs after a promotion prod verified healthy (DESIGN §9 step 4: the tag and the release); not after an unverified one.</summary>
    public Func<Promotion, CancellationToken, Task>? AfterVerifiedPromotion { get; init; }

    /// <summary>Records each deploy, promotion and rollback (GitHub's deployments); none when null.</summary>
    public IDeploymentRecorder? Recorder { get; init; }

    /// <summary>The Argo CD application of an environment: <c>&lt;app&gt;-&lt;env&gt;</c>.</summary>
    public string ApplicationName(string environment) => $"{GitOps.App}-{environment}";
}
