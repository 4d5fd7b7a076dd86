using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Xunit.Abstractions;

namespace Bun.Testing;

/// <summary>One address Prometheus scrapes, with the labels a Kubernetes scrape would give it (e.g. <c>namespace</c>).</summary>
public sealed record ScrapeTarget(string Address, IReadOnlyDictionary<string, string> Labels);

/// <summary>
/// A private Prometheus (Debian's package, installed by .ci/services/prometheus.sh) for a test: a temp config that
/// scrapes the given targets every second under one job, a free port of 127.0.0.1, storage in a temp folder, all
/// deleted at the end.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("bun-prometheus-").FullName;
    private Process? _process;

    private PrometheusServer()
    {
    }

    public Uri Url { get; private set; } = new("http://127.0.0.1:1/");

    /// <summary>Why the server could not start, or null when it runs.</summary>
    public string? Unavailable { get; private set; }

    /// <summary>Starts Prometheus scraping <paramref name="targets"/> at <c>/metrics</c> as job <paramref name="job"/>; check <see cref="Require"/>.</summary>
    public static async Task<PrometheusServer> StartAsync(string job, params ScrapeTarget[] targets)
    {
        var server = new PrometheusServer();
        try
        {
            await server.StartProcessAsync(job, targets);
        }
        catch (Exception exception) when (exception is InvalidOperationException or IOException or System.ComponentModel.Win32Exception or TimeoutException)
        {
            server.Unavailable = exception.Message;
        }

        return server;
    }

    /// <summary>Skips the test on a laptop, or fails it under CI=true, when the server did not start (see <see cref="ServiceGate"/>).</summary>
    public void Require(ITestOutputHelper log) => ServiceGate.Require(
        Unavailable, "The Prometheus test server", "Install it with .ci/services/prometheus.sh, or set BUN_PROMETHEUS to the binary.", log);

    /// <summary>Stops the server, as when Prometheus goes away in the middle of a verification.</summary>
    public async Task StopAsync()
    {
        if (_process is not { HasExited: false } process)
            return;
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process?.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder must not fail a test.
        }
    }

    private async Task StartProcessAsync(string job, ScrapeTarget[] targets)
    {
        var binary = FindBinary();
        var config = Path.Combine(_folder, "prometheus.yml");
        await File.WriteAllTextAsync(config, Config(job, targets));
        var port = FreePort();
        Url = new Uri($"http://127.0.0.1:{port}/");
        var start = new ProcessStartInfo(binary,
        [
            $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(_folder, "data")}", $"--web.listen-address=127.0.0.1:{port}",
            "--log.level=warn",
        ]) { RedirectStandardOutput = true, RedirectStandardError = true };
        _process = Process.Start(start) ?? throw new InvalidOperationException($"{binary} did not start");
        var log = new List<string>();
        _process.ErrorDataReceived += (_, line) => { lock (log) log.Add(line.Data ?? ""); };
        _process.OutputDataReceived += (_, _) => { };
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"{binary} exited with {_process.ExitCode}: {string.Join(" | ", Tail(log))}");
            try
            {
                using var ready = await http.GetAsync(new Uri(Url, "-/ready"));
                if (ready.IsSuccessStatusCode)
                    return;
            }
            catch (Exception failure) when (failure is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{binary} was not ready within 30 s: {string.Join(" | ", Tail(log))}");
    }

    private static string Config(string job, IEnumerable<ScrapeTarget> targets)
    {
        var statics = string.Join("", targets.Select(target =>
            $"      - targets: [\"{target.Address}\"]\n        labels:\n" +
            string.Join("", target.Labels.Select(label => $"          {label.Key}: \"{label.Value}\"\n"))));
        return $"""
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: "{job}"
                    static_configs:
                {statics}
                """;
    }

    private static IEnumerable<string> Tail(List<string> log)
    {
        lock (log)
            return log.TakeLast(5).ToList();
    }

    private static string FindBinary()
    {
        var candidates = new[] { Environment.GetEnvironmentVariable("BUN_PROMETHEUS") }
            .Concat((Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Select(folder => Path.Combine(folder, "prometheus")));
        return candidates.FirstOrDefault(path => !string.IsNullOrEmpty(path) && File.Exists(path))
               ?? throw new InvalidOperationException("no prometheus in BUN_PROMETHEUS or PATH");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
