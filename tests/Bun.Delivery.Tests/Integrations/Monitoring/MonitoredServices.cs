namespace Bun.Delivery.Tests.Integrations.Monitoring;

/// <summary>
/// Two running services and a real Prometheus scraping both every second as job <c>bun-api</c>, as a cluster's
/// Prometheus labels pods by namespace: <c>bun-good</c> answers only 2xx, <c>bun-bad</c> answers 503 to about half its
/// requests (<c>/notes</c> without a database). Both get steady traffic for as long as the tests run.
/// </summary>
public sealed class MonitoredServices : IAsyncLifetime
{
    public const string App = "bun-api";
    public const string GoodNamespace = "bun-good";
    public const string BadNamespace = "bun-bad";

    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _traffic = [];
    private BunApiProcess? _good;
    private BunApiProcess? _bad;

    public PrometheusServer Prometheus { get; private set; } = null!;
    internal BunApiProcess Good => _good!;

    public async Task InitializeAsync()
    {
        _good = await BunApiProcess.StartAsync();
        _bad = await BunApiProcess.StartAsync();
        Prometheus = await PrometheusServer.StartAsync(App,
            new ScrapeTarget(_good.Address, new Dictionary<string, string> { ["namespace"] = GoodNamespace }),
            new ScrapeTarget(_bad.Address, new Dictionary<string, string> { ["namespace"] = BadNamespace }));
        var pause = TimeSpan.FromMilliseconds(50);
        _traffic.Add(_good.SendTrafficAsync(["healthz", "version"], pause, _stop.Token));
        _traffic.Add(_bad.SendTrafficAsync(["healthz", "notes"], pause, _stop.Token));
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_traffic);
        await Prometheus.DisposeAsync();
        if (_good is not null)
            await _good.DisposeAsync();
        if (_bad is not null)
            await _bad.DisposeAsync();
        _stop.Dispose();
    }
}
