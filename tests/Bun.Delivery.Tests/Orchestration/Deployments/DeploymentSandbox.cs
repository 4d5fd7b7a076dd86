using Bun.Delivery.Integrations.GitOps;
using Bun.Delivery.Model.Rules;
using Bun.Delivery.Orchestration.Deployments;
using Bun.Delivery.Tests.Integrations.Argo;
using Bun.Delivery.Tests.Integrations.GitOps;

namespace Bun.Delivery.Tests.Orchestration.Deployments;

/// <summary>A GitOps remote, an Argo CD simulator and deployer settings with a tiny settle window.</summary>
internal sealed class DeploymentSandbox : IAsyncDisposable
{
    private DeploymentSandbox(ArgoSandbox argo) => Argo = argo;

    public ArgoSandbox Argo { get; }
    public GitOpsSandbox GitOps => Argo.GitOps;
    public string Text => GitOps.Text;

    public DeploymentSettings Settings => new(GitOps.Settings, Argo.Settings) { Settle = ArgoSandbox.Settle, Timeout = ArgoSandbox.Timeout };

    public DeploymentSettings WithoutArgoCd => Settings with { ArgoCd = null };

    public static async Task<DeploymentSandbox> CreateAsync(params string[] autoSync) => new(await ArgoSandbox.CreateAsync(autoSync));

    public Task<Deployer> OpenAsync(DeploymentSettings? settings = null) => Deployer.OpenAsync(settings ?? Settings, GitOps.Output, CancellationToken.None);

    public static DeploymentRequest Request(DeliveryEnvironment environment, int number, string sourceRef = "main") =>
        new(environment, GitOpsSandbox.Image(number), $"1.0.{number}", GitOpsSandbox.SourceCommit(number), sourceRef);

    /// <summary>Deploys image <paramref name="number"/> through a deployer of its own, as one build would.</summary>
    public async Task<DeploymentOutcome> DeployAsync(DeliveryEnvironment environment, int number, DeploymentSettings? settings = null)
    {
        await using var deployer = await OpenAsync(settings);
        return await deployer.DeployAsync(Request(environment, number), CancellationToken.None);
    }

    public async Task<EnvironmentHistory> HistoryAsync(DeliveryEnvironment environment)
    {
        await using var gitops = await GitOps.OpenAsync();
        return await gitops.HistoryAsync(environment.Name, CancellationToken.None);
    }

    /// <summary>The digest an environment's overlay pins at the remote's HEAD.</summary>
    public async Task<string?> PinnedAsync(DeliveryEnvironment environment) =>
        KustomizationImages.PinnedDigest(await GitOps.RemoteOverlayAsync(environment.Name), "ghcr.io/bun/bun-api");

    public ValueTask DisposeAsync() => Argo.DisposeAsync();
}
