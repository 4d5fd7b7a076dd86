using Bun.Delivery.Tests.Integrations.Argo.Simulator;
using Bun.Delivery.Tests.Integrations.Monitoring;

namespace Bun.Delivery.Tests.Orchestration.Deployments;

/// <summary>
/// A cluster's worth of one environment for the monitoring tests and benchmark: two versions of the service as processes
/// (the good one, and the test-only host that answers 503 to half of the application's requests), a real Prometheus
/// scraping both every second as job <c>bun-api</c> in the environment's namespace, and steady traffic routed between them
/// as the simulated Rollout weighs them: its canary gets <c>Weight</c> % of the requests, the stable version the rest.
/// </summary>
internal sealed class CanaryCluster : IAsyncDisposable
{
    private readonly ArgoCdSimulator _simulator;
    private readonly string _application;
    private readonly Dictionary<string, BunApiProcess> _byDigest;
    private readonly BunApiProcess _good;
    private readonly BunApiProcess _bad;
    private readonly CancellationTokenSource _stop = new();
    private Task _traffic = Task.CompletedTask;

    private CanaryCluster(ArgoCdSimulator simulator, string application, BunApiProcess good, BunApiProcess bad, string goodDigest, string badDigest, PrometheusServer prometheus)
    {
        _simulator = simulator;
        _application = application;
        _good = good;
        _bad = bad;
        _byDigest = new() { [goodDigest] = good, [badDigest] = bad };
        Prometheus = prometheus;
    }

    public PrometheusServer Prometheus { get; }

    /// <summary>When traffic first got a 5xx answer: the onset of the bad version's errors.</summary>
    public DateTimeOffset? FirstError { get; private set; }

    /// <summary>When, after the first error, all traffic first went to the stable version again.</summary>
    public DateTimeOffset? BackOnStable { get; private set; }

    /// <summary>Forgets the onset and the return to stable, for another bad deploy.</summary>
    public void ResetOnset() => (FirstError, BackOnStable) = (null, null);

    /// <param name="scrapedAs">The namespace label Prometheus gives both services (a cluster's namespace); another than the Rollout's makes the query find no series.</param>
    public static async Task<CanaryCluster> StartAsync(ArgoCdSimulator simulator, string application, string goodDigest, string badDigest, string scrapedAs)
    {
        var good = await BunApiProcess.StartAsync("1.0.1");
        var bad = await BunApiProcess.StartAsync("1.0.2", failureShare: 0.5);
        var labels = new Dictionary<string, string> { ["namespace"] = scrapedAs };
        var prometheus = await PrometheusServer.StartAsync("bun-api", new ScrapeTarget(good.Address, labels), new ScrapeTarget(bad.Address, labels));
        var cluster = new CanaryCluster(simulator, application, good, bad, goodDigest, badDigest, prometheus);
        cluster._traffic = cluster.SendTrafficAsync(cluster._stop.Token);
        return cluster;
    }

    /// <summary>Which version answers the service's address now (asks <c>/version</c> through the routing).</summary>
    public async Task<string> ServedVersionAsync()
    {
        var (process, _) = Route(0);
        using var answer = await process.Client.GetAsync("version");
        return System.Text.Json.JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement.GetProperty("version").GetString()!;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _traffic;
        await Prometheus.DisposeAsync();
        await _good.DisposeAsync();
        await _bad.DisposeAsync();
        _stop.Dispose();
    }

    private async Task SendTrafficAsync(CancellationToken stop)
    {
        for (var request = 0; !stop.IsCancellationRequested; request++)
        {
            var (process, allOnStable) = Route(request);
            if (allOnStable && FirstError is not null)
                BackOnStable ??= DateTimeOffset.UtcNow;
            try
            {
                using var answer = await process.Client.GetAsync("version", stop);
                if ((int)answer.StatusCode >= 500)
                    FirstError ??= DateTimeOffset.UtcNow;
                await Task.Delay(20, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (HttpRequestException)
            {
                // A service going away at the end of the test.
            }
        }
    }

    // The canary gets Weight % of the requests (request numbers 0..Weight-1 of every hundred); before any deploy, the good version.
    private (BunApiProcess Process, bool AllOnStable) Route(int request)
    {
        var (current, stable, weight, known) = _simulator.WithRollout(_application, rollout => (rollout.CurrentDigest, rollout.StableDigest, rollout.Weight, rollout.CurrentDigest is not null));
        if (!known)
            return (_good, false);
        var allOnStable = weight == 0 || current == stable;
        var digest = !allOnStable && request % 100 < weight ? current! : stable ?? current!;
        return (_byDigest[digest], allOnStable);
    }
}
