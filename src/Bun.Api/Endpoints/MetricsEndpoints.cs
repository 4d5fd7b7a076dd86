using Prometheus;

namespace Bun.Api.Endpoints;

/// <summary>
/// Prometheus metrics at <c>/metrics</c>: requests by route and status code (<c>http_requests_received_total</c>), their
/// latency (<c>http_request_duration_seconds</c>) and <c>bun_build_info{version, source_commit} 1</c>. Each app has a
/// registry of its own, so two services in one process (the tests) never count each other's requests.
/// </summary>
public static class MetricsEndpoints
{
    public const string Path = "/metrics";
    public const string BuildInfoMetric = "bun_build_info";

    public static void AddPrometheusRegistry(this IServiceCollection services) => services.AddSingleton(_ => Metrics.NewCustomRegistry());

    /// <summary>Counts and times every request; call before the endpoints are mapped, so that the route is known when the request ends.</summary>
    public static void UseRequestMetrics(this WebApplication app)
    {
        var registry = app.Services.GetRequiredService<CollectorRegistry>();
        var info = app.Services.GetRequiredService<BuildInfo>();
        Metrics.WithCustomRegistry(registry)
            .CreateGauge(BuildInfoMetric, "The version and source commit this service was built from; always 1.", "version", "source_commit")
            .WithLabels(info.Version, info.SourceCommit)
            .Set(1);
        app.UseHttpMetrics(options => options.SetMetricFactory(Metrics.WithCustomRegistry(registry)));
    }

    public static void MapPrometheusMetrics(this WebApplication app) =>
        app.MapMetrics(Path, app.Services.GetRequiredService<CollectorRegistry>());
}
