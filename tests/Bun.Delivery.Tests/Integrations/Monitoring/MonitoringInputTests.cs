using Bun.Delivery.Integrations.Monitoring;
using Bun.Pipeline.Failures;

namespace Bun.Delivery.Tests.Integrations.Monitoring;

/// <summary>What the monitoring parameters accept.</summary>
public sealed class MonitoringInputTests
{
    [Fact]
    public void The_query_divides_the_5xx_rate_by_the_rate_of_all_requests_of_the_app_in_its_namespace()
    {
        var query = ErrorRatioQuery.Build("bun-api", "bun-test", TimeSpan.FromMinutes(1));

        query.ShouldBe("(sum(rate(http_requests_received_total{job=\"bun-api\",namespace=\"bun-test\",code=~\"5..\"}[60s])) or vector(0)) " +
                       "/ sum(rate(http_requests_received_total{job=\"bun-api\",namespace=\"bun-test\"}[60s]))");
    }

    [Theory]
    [InlineData(-0.01)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void A_max_error_ratio_outside_0_to_1_is_bad_input(double limit)
    {
        var failure = Should.Throw<BuildFailure>(() => ErrorRatioQuery.Limit(limit));

        failure.ExitCode.ShouldBe(ExitCodes.BadInput);
        failure.Message.ShouldContain("give a number from 0 to 1");
    }

    [Fact]
    public void A_window_of_part_of_a_second_is_bad_input() =>
        Should.Throw<BuildFailure>(() => ErrorRatioQuery.Window(TimeSpan.FromMilliseconds(1500))).ExitCode.ShouldBe(ExitCodes.BadInput);

    [Fact]
    public void A_namespace_that_would_break_the_query_is_bad_input() =>
        Should.Throw<BuildFailure>(() => ErrorRatioQuery.Build("bun-api", "bun\"}or{x=\"", TimeSpan.FromSeconds(15))).ExitCode.ShouldBe(ExitCodes.BadInput);

    [Theory]
    [InlineData("ftp://prometheus:9090")]
    [InlineData("prometheus:9090")]
    public void A_monitoring_URL_that_is_not_http_is_bad_input(string url)
    {
        var failure = Should.Throw<BuildFailure>(() => MonitoringSettings.ParseUrl(url, "--prometheus-url"));

        failure.ExitCode.ShouldBe(ExitCodes.BadInput);
        failure.Message.ShouldStartWith($"--prometheus-url '{url}' is not a usable address");
    }

    [Fact]
    public void A_monitoring_URL_with_credentials_is_bad_input_that_does_not_repeat_them()
    {
        var failure = Should.Throw<BuildFailure>(() => MonitoringSettings.ParseUrl("http://user:secret@prometheus:9090", "--prometheus-url"));

        failure.ExitCode.ShouldBe(ExitCodes.BadInput);
        failure.Message.ShouldBe("--prometheus-url holds credentials in the URL; give the address alone, such as http://prometheus.monitoring:9090.");
    }
}
