namespace Bun.Delivery.Orchestration.Deployments;

/// <summary><c>Rollback --via</c>: how an environment is rolled back.</summary>
public enum RollbackVia
{
    /// <summary>A GitOps commit (<c>Bun-Action: rollback</c>), then sync and verify: the normal way, with auto-sync on or off.</summary>
    Git,

    /// <summary>Argo CD's own rollback, for when git can't be written: auto-sync off, back to the history entry of the deployment git would restore.</summary>
    Argocd,

    /// <summary>The Rollout aborted through Argo CD (traffic back on the stable version at once), then the GitOps commit, then verify.</summary>
    Rollouts,
}
