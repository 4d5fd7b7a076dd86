using Polly.Timeout;

namespace Bun.Delivery.Integrations.Monitoring;

/// <summary>What a health URL said: 2xx, another status, or no answer (unknown, never healthy).</summary>
public abstract record HealthVerdict
{
    private HealthVerdict()
    {
    }

    public sealed record Healthy(int Status) : HealthVerdict
    {
        public override string Describe() => $"answered {Status}";
    }

    public sealed record Failing(int Status, string Detail) : HealthVerdict
    {
        public override string Describe() => $"answered {Status}{(Detail.Length == 0 ? "" : $": {Detail}")}";
    }

    public sealed record Unknown(string Reason) : HealthVerdict
    {
        public override string Describe() => $"unknown: {Reason}";
    }

    public abstract string Describe();
}

/// <summary>Probes a health URL (<c>--health-url</c>): healthy only while it answers 2xx on every probe.</summary>
public sealed class HealthProber : IDisposable
{
    private const int DetailLength = 120;

    private readonly HttpClient _http;
    private readonly MonitoringSettings _settings;

    public HealthProber(MonitoringSettings? settings = null)
    {
        _settings = settings ?? MonitoringSettings.Default;
        // A 503 from a health URL is the service's answer, not a busy server: it is not retried.
        _http = MonitoringPolicies.Client(_settings, retryBusyAnswers: false);
    }

    /// <summary>One probe.</summary>
    public async Task<HealthVerdict> ProbeAsync(Uri url, CancellationToken cancellation)
    {
        try
        {
            using var response = await _http.GetAsync(url, cancellation);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
                return new HealthVerdict.Healthy(status);
            var body = (await response.Content.ReadAsStringAsync(cancellation)).ReplaceLineEndings(" ").Trim();
            return new HealthVerdict.Failing(status, body.Length <= DetailLength ? body : body[..DetailLength] + "…");
        }
        catch (Exception failure) when (failure is HttpRequestException or TimeoutRejectedException)
        {
            return new HealthVerdict.Unknown($"{url} could not be reached after {_settings.RequestAttempts} attempts " +
                $"({(failure is TimeoutRejectedException ? $"no answer within {_settings.RequestTimeout.TotalSeconds:0.###} s" : failure.Message)})");
        }
    }

    /// <summary>
    /// <paramref name="probes"/> probes, <paramref name="interval"/> apart: the first one that is not 2xx is the verdict,
    /// otherwise the last (healthy) one.
    /// </summary>
    public async Task<HealthVerdict> WatchAsync(Uri url, int probes, TimeSpan interval, CancellationToken cancellation)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(probes, 1);
        HealthVerdict verdict = new HealthVerdict.Unknown("not probed");
        for (var probe = 0; probe < probes; probe++)
        {
            if (probe > 0)
                await Task.Delay(interval, cancellation);
            verdict = await ProbeAsync(url, cancellation);
            if (verdict is not HealthVerdict.Healthy)
                return verdict;
        }

        return verdict;
    }

    public void Dispose() => _http.Dispose();
}
