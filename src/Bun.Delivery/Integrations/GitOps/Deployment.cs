namespace Bun.Delivery.Integrations.GitOps;

/// <summary>What a GitOps commit does; the <c>Bun-Action</c> trailer.</summary>
public enum DeploymentAction
{
    Deploy,
    Promote,
    Rollback,
}

/// <summary>One deployment as the GitOps repository records it: the overlay change plus the trailers of DESIGN §7.</summary>
public sealed record Deployment(
    DeploymentAction Action,
    string Environment,
    string App,
    PinnedImage Image,
    string Version,
    string SourceCommit,
    string SourceRef)
{
    /// <summary>
    /// A rollback's <c>Bun-Replaces</c>: the deployment commit that ran before it, which it rolls back from. Later default
    /// rollbacks skip that deployment's digest, so that pressing Rollback twice goes further back.
    /// </summary>
    public GitOpsCommit? Replaces { get; init; }

    /// <summary><c>Bun-Image-Local</c>: the image is pinned by its content digest in a local engine, and no registry holds it.</summary>
    public bool LocalImage { get; init; }

    /// <summary><c>Bun-Argo-CD: none</c>: made with no Argo CD configured, so nothing synced or verified it.</summary>
    public bool WithoutArgoCd { get; init; }

    /// <summary><c>Bun-Deployed-By</c>: the GitHub actor, or the git user of the checkout that deployed.</summary>
    public string? DeployedBy { get; init; }

    /// <summary>The commit subject: <c>deploy bun-api 1.4.0-rc.abc1234 to stage</c>.</summary>
    public string Subject => $"{Action.ToString().ToLowerInvariant()} {App} {Version} to {Environment}";
}

/// <summary>A commit of the GitOps repository.</summary>
public sealed record GitOpsCommit(string Sha)
{
    public string Short => Sha[..Math.Min(7, Sha.Length)];

    public override string ToString() => Short;
}
