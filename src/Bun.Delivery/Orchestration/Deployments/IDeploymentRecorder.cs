using Bun.Delivery.Integrations.GitOps;
using Bun.Delivery.Model.Rules;

namespace Bun.Delivery.Orchestration.Deployments;

/// <summary>
/// Records each deploy, promotion and rollback somewhere outside git (GitHub's deployments): started before the GitOps
/// commit, finished with its outcome. A recorder never throws: a failure to record is its own warning and never hides
/// or undoes the deployment's result.
/// </summary>
public interface IDeploymentRecorder
{
    Task<IDeploymentRecord> StartAsync(Deployment deployment, DeliveryEnvironment environment, CancellationToken cancellation);
}

/// <summary>One deployment being recorded.</summary>
public interface IDeploymentRecord
{
    Task SucceededAsync(DeploymentOutcome outcome, CancellationToken cancellation);

    Task FailedAsync(string reason, CancellationToken cancellation);
}
