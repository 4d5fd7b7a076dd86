using Bun.Delivery.Integrations.Monitoring;
using Bun.Delivery.Model.Rules;
using Bun.Pipeline.Failures;

namespace Bun.Delivery.Orchestration.Deployments;

/// <summary>
/// What is watched of one environment's service after a sync, besides Argo CD and the Rollout: a health URL that must
/// answer 2xx on every poll, and Prometheus's error ratio (the canary AnalysisTemplate's query), which must stay at or
/// under <see cref="MaxErrorRatio"/>.
/// </summary>
/// <param name="Window">The error ratio's rate window: the AnalysisTemplate's <c>window</c> (60 s).</param>
public sealed record ServiceMonitoring(Uri? Prometheus, Uri? HealthUrl, double MaxErrorRatio, TimeSpan Window)
{
    public const double DefaultMaxErrorRatio = 0.05;

    public static ServiceMonitoring None { get; } = new(null, null, DefaultMaxErrorRatio, TimeSpan.FromSeconds(60));
}

/// <summary>
/// <c>--prometheus-url</c>, <c>--health-url</c> and <c>--max-error-ratio</c> as given: each a list of values, either
/// <c>&lt;environment&gt;=&lt;value&gt;</c> for one environment or a bare value for every environment not named, so that
/// <c>.nuke/parameters.json</c> can hold each environment's own (docs/deploy.md). Everything is checked when read, before
/// anything runs: an unknown environment, a URL that is not http(s) or a ratio outside 0–1 is bad input.
/// </summary>
/// <param name="Table">The build's environments table, which names the environments a value may be for.</param>
public sealed record MonitoringParameters(string[]? PrometheusUrl, string[]? HealthUrl, string[]? MaxErrorRatio, double ErrorRatioWindowSeconds, EnvironmentTable Table)
{
    /// <summary>Each environment's monitoring; throws bad input on the first value that does not hold.</summary>
    public Func<string, ServiceMonitoring> Read()
    {
        var window = ErrorRatioWindowSeconds > 0 && ErrorRatioWindowSeconds % 1 == 0
            ? TimeSpan.FromSeconds(ErrorRatioWindowSeconds)
            : throw BuildFailure.BadInput($"--error-ratio-window-seconds must be a whole number of seconds of at least 1; got {ErrorRatioWindowSeconds}.");
        var prometheus = PerEnvironment(PrometheusUrl, "--prometheus-url", value => MonitoringSettings.ParseUrl(value, "--prometheus-url"));
        var health = PerEnvironment(HealthUrl, "--health-url", value => MonitoringSettings.ParseUrl(value, "--health-url"));
        var ratio = PerEnvironment(MaxErrorRatio, "--max-error-ratio", ParseRatio);
        return environment => new ServiceMonitoring(
            Value(prometheus, environment), Value(health, environment), Value(ratio, environment) ?? ServiceMonitoring.DefaultMaxErrorRatio, window);
    }

    private static T? Value<T>(Dictionary<string, T> values, string environment) where T : class? =>
        values.TryGetValue(environment, out var value) || values.TryGetValue("", out value) ? value : null;

    private static double? Value(Dictionary<string, double> values, string environment) =>
        values.TryGetValue(environment, out var value) || values.TryGetValue("", out value) ? value : null;

    private static double ParseRatio(string value) =>
        double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var ratio)
            ? ErrorRatioQuery.Limit(ratio)
            : throw BuildFailure.BadInput($"--max-error-ratio '{value}' is not a number: give a share of requests from 0 to 1, such as 0.05 for 5%.");

    private DeliveryEnvironment Deployed(string name, string parameter) =>
        Table.Deployed.FirstOrDefault(environment => string.Equals(environment.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw BuildFailure.BadInput($"{parameter} {name}=…: '{name}' is not a deployed environment; name one of {Environments.Describe(Table.Deployed)}.");

    // "" is the value for every environment not named.
    private Dictionary<string, T> PerEnvironment<T>(string[]? values, string parameter, Func<string, T> parse)
    {
        var byEnvironment = new Dictionary<string, T>();
        foreach (var value in values ?? [])
        {
            var split = value.IndexOf('=');
            var named = split > 0 && !value[..split].Contains(':');
            var environment = named ? Deployed(value[..split], parameter) : null;
            var key = environment?.Name ?? "";
            if (!byEnvironment.TryAdd(key, parse(named ? value[(split + 1)..] : value)))
                throw BuildFailure.BadInput($"{parameter} is given twice for {(key.Length == 0 ? "every environment" : key)}; give one value per environment.");
        }

        return byEnvironment;
    }
}
