using System.Net;

namespace Bun.Api.Tests;

public sealed class MetricsTests
{
    [Fact]
    public async Task Metrics_count_requests_by_route_and_status_code()
    {
        await using var api = await RunningApi.StartAsync();
        (await api.Client.GetAsync("/healthz")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await api.Client.GetAsync("/healthz")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await api.Client.GetAsync("/notes")).StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);

        var metrics = await api.Client.GetStringAsync("/metrics");

        metrics.ShouldContain("""http_requests_received_total{code="200",method="GET",controller="",action="",endpoint="/healthz"} 2""");
        metrics.ShouldContain("""http_requests_received_total{code="503",method="GET",controller="",action="",endpoint="/notes"} 1""");
        metrics.ShouldContain("# TYPE http_request_duration_seconds histogram");
        metrics.ShouldContain("""http_request_duration_seconds_count{code="503",method="GET",controller="",action="",endpoint="/notes"} 1""");
    }

    [Fact]
    public async Task Metrics_carry_the_build_version_and_source_commit_as_an_info_metric()
    {
        await using var api = await RunningApi.StartAsync("--BUN_VERSION=1.4.0-rc.1a2b3c4", "--BUN_SOURCE_COMMIT=1a2b3c4d5e6f");

        var metrics = await api.Client.GetStringAsync("/metrics");

        metrics.ShouldContain("""bun_build_info{version="1.4.0-rc.1a2b3c4",source_commit="1a2b3c4d5e6f"} 1""");
    }

    [Fact]
    public async Task Two_services_in_one_process_do_not_count_each_others_requests()
    {
        await using var first = await RunningApi.StartAsync();
        await using var second = await RunningApi.StartAsync();
        await first.Client.GetAsync("/notes");

        var metrics = await second.Client.GetStringAsync("/metrics");

        metrics.ShouldNotContain("""endpoint="/notes"}""");
    }
}
