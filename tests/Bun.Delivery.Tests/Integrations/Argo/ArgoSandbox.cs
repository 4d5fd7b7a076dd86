using Bun.Delivery.Integrations.Argo;
using Bun.Delivery.Integrations.GitOps;
using Bun.Delivery.Tests.Integrations.Argo.Simulator;
using Bun.Delivery.Tests.Integrations.GitOps;

namespace Bun.Delivery.Tests.Integrations.Argo;

/// <summary>
/// A GitOps sandbox plus an Argo CD simulator whose applications <c>bun-api-&lt;env&gt;</c> read its remote, and client
/// settings with tiny poll intervals, so that waits take milliseconds.
/// </summary>
internal sealed class ArgoSandbox : IAsyncDisposable
{
    private ArgoSandbox(GitOpsSandbox gitOps, ArgoCdSimulator simulator)
    {
        GitOps = gitOps;
        Simulator = simulator;
    }

    public GitOpsSandbox GitOps { get; }
    public ArgoCdSimulator Simulator { get; }

    public ArgoCdSettings Settings => new(Simulator.Url)
    {
        Token = Simulator.AccountToken,
        PollInterval = TimeSpan.FromMilliseconds(5),
        RequestTimeout = TimeSpan.FromSeconds(5),
        RetryDelay = TimeSpan.FromMilliseconds(10),
        BusyWait = TimeSpan.FromMilliseconds(200),
    };

    public static TimeSpan Settle => TimeSpan.FromMilliseconds(60);
    public static TimeSpan Timeout => TimeSpan.FromSeconds(10);

    /// <summary>Seeds the GitOps remote and adds one application per environment; <paramref name="autoSync"/> names those with auto-sync on.</summary>
    public static async Task<ArgoSandbox> CreateAsync(params string[] autoSync)
    {
        var gitOps = await GitOpsSandbox.CreateAsync();
        await using (await gitOps.OpenAsync())
        {
        }

        var simulator = ArgoCdSimulator.Start();
        foreach (var environment in new[] { "dev", "test", "stage", "prod" })
            simulator.AddApplication($"bun-api-{environment}", gitOps.Remote, $"apps/bun-api/overlays/{environment}", autoSync.Contains(environment));
        return new ArgoSandbox(gitOps, simulator);
    }

    public Task<ArgoCd> ConnectAsync(ArgoCdSettings? settings = null) => ArgoCd.ConnectAsync(settings ?? Settings, GitOps.Output, CancellationToken.None);

    /// <summary>Pins image <paramref name="number"/> in an environment's overlay and returns the commit.</summary>
    public async Task<string> PushAsync(string environment, int number)
    {
        await using var gitops = await GitOps.OpenAsync();
        return (await gitops.PinAsync(GitOpsSandbox.Deployment(environment, number), CancellationToken.None)).Sha;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Simulator.DisposeAsync();
        }
        finally
        {
            GitOps.Dispose();
        }
    }
}
