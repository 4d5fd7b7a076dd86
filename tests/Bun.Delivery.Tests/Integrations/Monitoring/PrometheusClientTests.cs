using Bun.Delivery.Integrations.Monitoring;
using Bun.Pipeline.Failures;
using Xunit.Abstractions;

namespace Bun.Delivery.Tests.Integrations.Monitoring;

/// <summary>The Prometheus client against a real Prometheus scraping running services every second.</summary>
public sealed class PrometheusClientTests(MonitoredServices services, ITestOutputHelper log) : IClassFixture<MonitoredServices>
{
    private const double MaxErrorRatio = 0.05;
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static MonitoringSettings Settings => new() { RequestTimeout = TimeSpan.FromSeconds(2), RequestAttempts = 2, RetryDelay = TimeSpan.FromMilliseconds(50) };

    [SkippableFact]
    public async Task Good_traffic_measures_an_error_ratio_of_zero_under_the_threshold()
    {
        services.Prometheus.Require(log);
        using var prometheus = new PrometheusClient(services.Prometheus.Url, Settings);

        var ratio = await MeasuredAsync(prometheus, MonitoredServices.GoodNamespace);

        ratio.Value.ShouldBe(0);
        ratio.Exceeds(MaxErrorRatio).ShouldBeFalse();
    }

    [SkippableFact]
    public async Task A_share_of_5xx_answers_measures_an_error_ratio_above_the_threshold()
    {
        services.Prometheus.Require(log);
        using var prometheus = new PrometheusClient(services.Prometheus.Url, Settings);

        var ratio = await MeasuredAsync(prometheus, MonitoredServices.BadNamespace, measured => measured.Exceeds(MaxErrorRatio));

        ratio.Value.ShouldBeInRange(0.2, 0.6);
        ratio.Describe().ShouldStartWith("error ratio 0.");
    }

    [SkippableFact]
    public async Task A_namespace_without_requests_has_no_series_rather_than_a_ratio()
    {
        services.Prometheus.Require(log);
        using var prometheus = new PrometheusClient(services.Prometheus.Url, Settings);

        var verdict = await prometheus.ErrorRatioAsync(MonitoredServices.App, "bun-nowhere", Window, CancellationToken.None);

        var none = verdict.ShouldBeOfType<ErrorRatio.NoSeries>();
        none.Query.ShouldBe(ErrorRatioQuery.Build(MonitoredServices.App, "bun-nowhere", Window));
        none.Describe().ShouldStartWith("no series: no requests of the service are recorded in the window");
    }

    [SkippableFact]
    public async Task A_query_Prometheus_refuses_is_unknown_with_its_reason()
    {
        services.Prometheus.Require(log);
        using var prometheus = new PrometheusClient(services.Prometheus.Url, Settings);

        var verdict = await prometheus.ErrorRatioAsync("sum(rate(http_requests_received_total[15s]", CancellationToken.None);

        var unknown = verdict.ShouldBeOfType<ErrorRatio.Unknown>();
        unknown.Cause.ShouldBe(UnknownCause.QueryRefused);
        unknown.Reason.ShouldContain("refused the request (HTTP 400, bad_data)");
    }

    [SkippableFact]
    public async Task A_real_Prometheus_passes_the_check_and_tells_its_version()
    {
        services.Prometheus.Require(log);
        using var prometheus = new PrometheusClient(services.Prometheus.Url, Settings);

        var version = await prometheus.EnsureIsPrometheusAsync("--prometheus-url", CancellationToken.None);

        version.ShouldMatch(@"^\d+\.\d+\.\d+");
    }

    [SkippableFact]
    public async Task A_URL_that_is_not_a_Prometheus_is_unknown_and_fails_the_check_with_one_clear_line()
    {
        using var prometheus = new PrometheusClient(services.Good.Url, Settings);

        var verdict = await prometheus.ErrorRatioAsync(MonitoredServices.App, MonitoredServices.GoodNamespace, Window, CancellationToken.None);
        var failure = await Should.ThrowAsync<BuildFailure>(() => prometheus.EnsureIsPrometheusAsync("--prometheus-url", CancellationToken.None));

        var unknown = verdict.ShouldBeOfType<ErrorRatio.Unknown>();
        unknown.Cause.ShouldBe(UnknownCause.NotPrometheus);
        unknown.Reason.ShouldBe($"{services.Good.Url} answered HTTP 404 with \"\", not Prometheus's API answer {{\"status\": …, \"data\": …}}; point the URL at Prometheus itself, e.g. http://prometheus:9090");
        failure.ExitCode.ShouldBe(ExitCodes.BadInput);
        failure.Message.ShouldStartWith($"--prometheus-url {services.Good.Url} is not a Prometheus: {services.Good.Url} answered HTTP 404");
        failure.Message.ShouldNotContain("\n");
    }

    [SkippableFact]
    public async Task A_Prometheus_that_goes_away_gives_an_unknown_verdict_not_a_value()
    {
        await using var server = await PrometheusServer.StartAsync(MonitoredServices.App,
            new ScrapeTarget(services.Good.Address, new Dictionary<string, string> { ["namespace"] = MonitoredServices.GoodNamespace }));
        server.Require(log);
        using var prometheus = new PrometheusClient(server.Url, Settings);
        (await prometheus.EnsureIsPrometheusAsync("--prometheus-url", CancellationToken.None)).ShouldNotBeEmpty();

        await server.StopAsync();
        var verdict = await prometheus.ErrorRatioAsync(MonitoredServices.App, MonitoredServices.GoodNamespace, Window, CancellationToken.None);

        var unknown = verdict.ShouldBeOfType<ErrorRatio.Unknown>();
        unknown.Cause.ShouldBe(UnknownCause.Unreachable);
        unknown.Reason.ShouldStartWith($"Prometheus at {server.Url} could not be reached after 2 attempts");
    }

    // Polls until Prometheus has rated enough scrapes of the traffic to give a value that satisfies the condition.
    private static async Task<ErrorRatio.Measured> MeasuredAsync(PrometheusClient prometheus, string @namespace, Func<ErrorRatio.Measured, bool>? until = null)
    {
        var deadline = DateTime.UtcNow + Patience;
        ErrorRatio verdict;
        do
        {
            verdict = await prometheus.ErrorRatioAsync(MonitoredServices.App, @namespace, Window, CancellationToken.None);
            if (verdict is ErrorRatio.Measured measured && (until is null || until(measured)))
                return measured;
            await Task.Delay(250);
        }
        while (DateTime.UtcNow < deadline);

        throw new ShouldAssertException($"No satisfying error ratio for {@namespace} within {Patience.TotalSeconds} s; last verdict: {verdict.Describe()}");
    }
}
