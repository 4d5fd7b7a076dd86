using Bun.Pipeline.Failures;

namespace Bun.Delivery.Integrations.Monitoring;

/// <summary>How the monitoring clients talk over HTTP: a timeout per attempt and a bounded retry of transport failures.</summary>
public sealed record MonitoringSettings
{
    public static MonitoringSettings Default { get; } = new();

    /// <summary>How long one request may take before it is abandoned and retried.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How many times a request that got no answer is sent, in all, before the verdict is unknown.</summary>
    public int RequestAttempts { get; init; } = 3;

    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(300);

    /// <summary>Reads a monitoring URL (<c>--prometheus-url</c>, <c>--health-url</c>): an absolute http(s) URL without credentials.</summary>
    public static Uri ParseUrl(string value, string parameter)
    {
        var parsed = Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";
        if (parsed && uri!.UserInfo.Length == 0)
            return uri;
        // The value is not repeated when it holds credentials: they must not reach the output.
        throw BuildFailure.BadInput(parsed || value.Contains('@')
            ? $"{parameter} holds credentials in the URL; give the address alone, such as http://prometheus.monitoring:9090."
            : $"{parameter} '{value}' is not a usable address: expected an http:// or https:// URL without credentials, such as http://prometheus.monitoring:9090.");
    }
}
