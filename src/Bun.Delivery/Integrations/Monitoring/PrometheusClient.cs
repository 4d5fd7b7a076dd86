using System.Globalization;
using System.Text.Json;
using Bun.Pipeline.Failures;
using Polly.Timeout;

namespace Bun.Delivery.Integrations.Monitoring;

/// <summary>
/// A small client of Prometheus's HTTP API: instant queries (<c>GET /api/v1/query</c>) read as typed verdicts, and a
/// check that a URL is a Prometheus at all. Anything that is not Prometheus's <c>{status, data}</c> envelope, or no
/// answer, is an unknown verdict, never a value.
/// </summary>
public sealed class PrometheusClient : IDisposable
{
    private const int SnippetLength = 120;

    private readonly HttpClient _http;
    private readonly MonitoringSettings _settings;

    public PrometheusClient(Uri server, MonitoringSettings? settings = null)
    {
        Server = server.AbsoluteUri.EndsWith('/') ? server : new Uri(server.AbsoluteUri + "/");
        _settings = settings ?? MonitoringSettings.Default;
        _http = MonitoringPolicies.Client(_settings, retryBusyAnswers: true);
    }

    public Uri Server { get; }

    /// <summary>The 5xx share of <paramref name="app"/>'s requests in <paramref name="namespace"/>, with <see cref="ErrorRatioQuery"/>'s query.</summary>
    public Task<ErrorRatio> ErrorRatioAsync(string app, string @namespace, TimeSpan window, CancellationToken cancellation) =>
        ErrorRatioAsync(ErrorRatioQuery.Build(app, @namespace, window), cancellation);

    /// <summary>Runs a query that gives one number (an error ratio) and reads the answer as a verdict.</summary>
    public async Task<ErrorRatio> ErrorRatioAsync(string query, CancellationToken cancellation)
    {
        var answer = await GetAsync($"api/v1/query?query={Uri.EscapeDataString(query)}", cancellation);
        if (answer.Unknown is { } unknown)
            return unknown;
        var data = answer.Data!.Value;
        var resultType = data.TryGetProperty("resultType", out var type) ? type.GetString() : null;
        if (!data.TryGetProperty("result", out var result))
            return NotPrometheus(answer.Status, "a success without a result");

        JsonElement sample;
        if (resultType == "scalar")
            sample = result;
        else if (resultType == "vector" && result.ValueKind == JsonValueKind.Array)
        {
            if (result.GetArrayLength() == 0)
                return new ErrorRatio.NoSeries(query, "no requests of the service are recorded in the window");
            if (result.GetArrayLength() > 1)
                return new ErrorRatio.Unknown(UnknownCause.QueryRefused, $"the query gave {result.GetArrayLength()} series, but an error ratio is one number (query: {query})");
            sample = result[0].TryGetProperty("value", out var value) ? value : default;
        }
        else
            return NotPrometheus(answer.Status, $"a result of type {resultType ?? "none"}, where a vector or scalar was expected");

        if (sample.ValueKind != JsonValueKind.Array || sample.GetArrayLength() != 2 || sample[1].ValueKind != JsonValueKind.String
            || !double.TryParse(sample[1].GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var ratio))
            return NotPrometheus(answer.Status, "a sample that is not [time, \"value\"]");
        // 0/0: the series exist, but no request was answered in the window.
        return double.IsNaN(ratio)
            ? new ErrorRatio.NoSeries(query, "the service answered no requests in the window")
            : new ErrorRatio.Measured(ratio);
    }

    /// <summary>Fails with one line unless <see cref="Server"/> answers as a Prometheus; returns its version. Checked before anything changes.</summary>
    public async Task<string> EnsureIsPrometheusAsync(string parameter, CancellationToken cancellation)
    {
        var answer = await GetAsync("api/v1/status/buildinfo", cancellation);
        if (answer.Unknown is { } unknown)
            throw unknown.Cause == UnknownCause.Unreachable
                ? new BuildFailure($"Could not check {parameter}: {unknown.Reason}.")
                : BuildFailure.BadInput($"{parameter} {Server} is not a Prometheus: {unknown.Reason}.");
        return answer.Data!.Value.TryGetProperty("version", out var version) && version.GetString() is { } text
            ? text
            : throw BuildFailure.BadInput($"{parameter} {Server} is not a Prometheus: its build info has no version.");
    }

    public void Dispose() => _http.Dispose();

    private sealed record Answer(int Status, JsonElement? Data, ErrorRatio.Unknown? Unknown);

    private async Task<Answer> GetAsync(string relative, CancellationToken cancellation)
    {
        int status;
        string body;
        try
        {
            using var response = await _http.GetAsync(new Uri(Server, relative), cancellation);
            status = (int)response.StatusCode;
            body = await response.Content.ReadAsStringAsync(cancellation);
        }
        catch (Exception failure) when (failure is HttpRequestException or TimeoutRejectedException)
        {
            return new Answer(0, null, new ErrorRatio.Unknown(UnknownCause.Unreachable,
                $"Prometheus at {Server} could not be reached after {_settings.RequestAttempts} attempts " +
                $"({(failure is TimeoutRejectedException ? $"no answer within {_settings.RequestTimeout.TotalSeconds:0.###} s" : failure.Message)})"));
        }

        JsonElement envelope;
        try
        {
            envelope = JsonDocument.Parse(body).RootElement.Clone();
        }
        catch (JsonException)
        {
            return new Answer(status, null, NotPrometheus(status, $"\"{Snippet(body)}\""));
        }

        var state = envelope.ValueKind == JsonValueKind.Object && envelope.TryGetProperty("status", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        return state switch
        {
            "success" when envelope.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object => new Answer(status, data, null),
            "error" => new Answer(status, null, new ErrorRatio.Unknown(UnknownCause.QueryRefused,
                $"Prometheus at {Server} refused the request (HTTP {status}, {Text(envelope, "errorType")}): {Text(envelope, "error")}")),
            _ => new Answer(status, null, NotPrometheus(status, $"\"{Snippet(body)}\"")),
        };
    }

    private ErrorRatio.Unknown NotPrometheus(int status, string found) => new(UnknownCause.NotPrometheus,
        $"{Server} answered HTTP {status} with {found}, not Prometheus's API answer {{\"status\": …, \"data\": …}}; point the URL at Prometheus itself, e.g. http://prometheus:9090");

    private static string Text(JsonElement envelope, string name) =>
        envelope.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "?";

    private static string Snippet(string body)
    {
        var line = string.Join(' ', body.Split((char[])['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries)).Trim();
        return line.Length <= SnippetLength ? line : line[..SnippetLength] + "…";
    }
}
