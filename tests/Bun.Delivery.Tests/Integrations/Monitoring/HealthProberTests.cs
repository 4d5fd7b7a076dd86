using System.Net;
using System.Net.Sockets;
using Bun.Delivery.Integrations.Monitoring;

namespace Bun.Delivery.Tests.Integrations.Monitoring;

/// <summary>The health-URL prober against the running service, whose <c>/notes</c> answers 503 without a database.</summary>
public sealed class HealthProberTests(RunningService running) : IClassFixture<RunningService>
{
    private readonly BunApiProcess _service = running.Service;

    private static MonitoringSettings Settings => new() { RequestTimeout = TimeSpan.FromSeconds(2), RequestAttempts = 2, RetryDelay = TimeSpan.FromMilliseconds(50) };

    [Fact]
    public async Task A_health_URL_that_answers_2xx_on_every_probe_is_healthy()
    {
        using var prober = new HealthProber(Settings);

        var verdict = await prober.WatchAsync(new Uri(_service.Url, "healthz"), probes: 3, TimeSpan.FromMilliseconds(20), CancellationToken.None);

        verdict.ShouldBe(new HealthVerdict.Healthy(200));
    }

    [Fact]
    public async Task A_health_URL_that_answers_503_fails_with_the_status_and_what_it_said()
    {
        using var prober = new HealthProber(Settings);

        var verdict = await prober.WatchAsync(new Uri(_service.Url, "notes"), probes: 3, TimeSpan.FromMilliseconds(20), CancellationToken.None);

        var failing = verdict.ShouldBeOfType<HealthVerdict.Failing>();
        failing.Status.ShouldBe(503);
        failing.Describe().ShouldContain("answered 503: ");
        failing.Detail.ShouldNotBeEmpty();
    }

    [Fact]
    public async Task A_health_URL_that_cannot_be_reached_is_unknown_not_healthy()
    {
        using var prober = new HealthProber(Settings);
        var closed = new Uri($"http://127.0.0.1:{ClosedPort()}/healthz");

        var verdict = await prober.ProbeAsync(closed, CancellationToken.None);

        verdict.ShouldBeOfType<HealthVerdict.Unknown>().Reason.ShouldStartWith($"{closed} could not be reached after 2 attempts");
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>One service process for a test class.</summary>
public sealed class RunningService : IAsyncLifetime
{
    internal BunApiProcess Service { get; private set; } = null!;

    public async Task InitializeAsync() => Service = await BunApiProcess.StartAsync();

    public async Task DisposeAsync() => await Service.DisposeAsync();
}
