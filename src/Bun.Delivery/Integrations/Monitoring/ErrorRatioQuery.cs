using Bun.Pipeline.Failures;

namespace Bun.Delivery.Integrations.Monitoring;

/// <summary>
/// The one PromQL query for "which share of the service's HTTP requests answered 5xx": Bun's monitoring asks it, and the
/// canary AnalysisTemplate (deploy/components/canary/analysis-template.yaml) holds the same text with
/// <c>{{args.namespace}}</c> and <c>{{args.window}}</c> in place of the values; a test keeps the two equal.
/// </summary>
public static class ErrorRatioQuery
{
    /// <summary>The metric prometheus-net's HTTP middleware counts requests in, labelled with <c>code</c>.</summary>
    public const string RequestsMetric = "http_requests_received_total";

    /// <summary>
    /// The 5xx share of <paramref name="app"/>'s requests in <paramref name="namespace"/> over <paramref name="window"/>.
    /// Without any 5xx the numerator is <c>vector(0)</c>, so good traffic gives 0; without any requests there is no series.
    /// </summary>
    public static string Build(string app, string @namespace, TimeSpan window)
    {
        var range = Window(window);
        var selector = $"job=\"{Label(app, "app")}\",namespace=\"{Label(@namespace, "namespace")}\"";
        return $"(sum(rate({RequestsMetric}{{{selector},code=~\"5..\"}}[{range}])) or vector(0)) / sum(rate({RequestsMetric}{{{selector}}}[{range}]))";
    }

    /// <summary>A window as Prometheus writes durations, in whole seconds: <c>60s</c>.</summary>
    public static string Window(TimeSpan window) =>
        window >= TimeSpan.FromSeconds(1) && window.Ticks % TimeSpan.TicksPerSecond == 0
            ? $"{(long)window.TotalSeconds}s"
            : throw BuildFailure.BadInput($"The error-ratio window {window} is not a whole number of seconds of at least 1 s.");

    /// <summary>Checks a <c>--max-error-ratio</c>: a share of requests, from 0 to 1.</summary>
    public static double Limit(double maxErrorRatio) =>
        maxErrorRatio is >= 0 and <= 1
            ? maxErrorRatio
            : throw BuildFailure.BadInput($"--max-error-ratio {maxErrorRatio} is not a share of requests: give a number from 0 to 1, such as 0.05 for 5%.");

    private static string Label(string value, string what) =>
        value.Length > 0 && value.All(character => char.IsAsciiLetterOrDigit(character) || character is '-' or '_' or '.')
            ? value
            : throw BuildFailure.BadInput($"The {what} '{value}' cannot be matched in a Prometheus query: use letters, digits, '-', '_' or '.'.");
}
