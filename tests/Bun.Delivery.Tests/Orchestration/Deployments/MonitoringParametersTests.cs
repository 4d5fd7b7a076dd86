using Bun.Delivery.Model.Rules;
using Bun.Delivery.Orchestration.Deployments;
using Bun.Pipeline.Failures;

namespace Bun.Delivery.Tests.Orchestration.Deployments;

public sealed class MonitoringParametersTests
{
    [Fact]
    public void A_value_for_one_environment_wins_over_the_value_for_all()
    {
        var monitoring = new MonitoringParameters(["http://prometheus:9090", "prod=http://prometheus.prod:9090"], ["test=https://bun-test.example/healthz"],
            ["0.05", "prod=0.01"], 30, Environments.Table).Read();

        monitoring("prod").ShouldBe(new ServiceMonitoring(new Uri("http://prometheus.prod:9090"), null, 0.01, TimeSpan.FromSeconds(30)));
        monitoring("test").ShouldBe(new ServiceMonitoring(new Uri("http://prometheus:9090"), new Uri("https://bun-test.example/healthz"), 0.05, TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void Nothing_given_watches_nothing_more_with_the_default_limit() =>
        new MonitoringParameters(null, null, null, 60, Environments.Table).Read()("stage").ShouldBe(ServiceMonitoring.None);

    [Theory]
    [InlineData(new[] { "1.5" }, "--max-error-ratio 1.5 is not a share of requests: give a number from 0 to 1, such as 0.05 for 5%.")]
    [InlineData(new[] { "prod=-0.1" }, "--max-error-ratio -0.1 is not a share of requests")]
    [InlineData(new[] { "lots" }, "--max-error-ratio 'lots' is not a number")]
    [InlineData(new[] { "tset=0.1" }, "--max-error-ratio tset=…: 'tset' is not a deployed environment; name one of dev, test, stage or prod.")]
    [InlineData(new[] { "local=0.1" }, "--max-error-ratio local=…: 'local' is not a deployed environment; name one of dev, test, stage or prod.")]
    [InlineData(new[] { "test=0.1", "test=0.2" }, "--max-error-ratio is given twice for test; give one value per environment.")]
    public void A_bad_max_error_ratio_is_bad_input(string[] values, string message)
    {
        var failure = Should.Throw<BuildFailure>(() => new MonitoringParameters(null, null, values, 60, Environments.Table).Read());

        failure.ExitCode.ShouldBe(2);
        failure.Message.ShouldStartWith(message);
    }

    [Fact]
    public void A_URL_with_credentials_is_refused_without_repeating_them()
    {
        var failure = Should.Throw<BuildFailure>(() => new MonitoringParameters(["test=http://admin:hunter2@prometheus:9090"], null, null, 60, Environments.Table).Read());

        failure.ExitCode.ShouldBe(2);
        failure.Message.ShouldBe("--prometheus-url holds credentials in the URL; give the address alone, such as http://prometheus.monitoring:9090.");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2.5)]
    public void A_window_that_is_not_whole_seconds_is_bad_input(double seconds) =>
        Should.Throw<BuildFailure>(() => new MonitoringParameters(null, null, null, seconds, Environments.Table).Read()).ExitCode.ShouldBe(2);
}
