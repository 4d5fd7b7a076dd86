using Bun.Pipeline.Parameters;

namespace Bun.Delivery.Integrations.GitOps;

/// <summary>Where the GitOps repository is and how Bun writes to it.</summary>
/// <param name="RootDirectory">The repository root: deploy/ and .nuke/temp/gitops are found from here.</param>
/// <param name="Repository"><c>--gitops-repo</c>: a URL or a path; null means the local repository under .nuke/temp/gitops.</param>
/// <param name="Token">The token for an HTTPS remote (a secret): sent as a header, never put in a URL or a command line.</param>
public sealed record GitOpsSettings(AbsolutePath RootDirectory, string? Repository = null, string? Token = null)
{
    public const string RepositoryVariable = "BUN_GITOPS_REPO";

    public string App { get; init; } = "bun-api";

    /// <summary>Who deploys (the GitHub actor in Actions); null means the git user of the checkout at <see cref="RootDirectory"/>.</summary>
    public string? DeployedBy { get; init; }

    /// <summary>The image name the manifests use; overlays pin it with <c>newName</c> and <c>digest</c>.</summary>
    public string ImageName { get; init; } = "ghcr.io/bun/bun-api";

    /// <summary>How often a push rejected by a concurrent writer is fetched, re-applied and tried again, in all.</summary>
    public int PushAttempts { get; init; } = 10;

    /// <summary>The first retry delay; later ones grow exponentially, with jitter so that racing writers spread out.</summary>
    public TimeSpan PushRetryDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    public AbsolutePath DeployDirectory => RootDirectory / "deploy";

    /// <summary>The default GitOps repository: a bare repository seeded from deploy/.</summary>
    public AbsolutePath LocalRepository => RootDirectory / ".nuke" / "temp" / "gitops";

    public string OverlayPath(string environment) => $"apps/{App}/overlays/{environment}";

    public override string ToString() => $"GitOpsSettings {{ Repository = {(Repository is null ? LocalRepository : "(given)")} }}";
}
