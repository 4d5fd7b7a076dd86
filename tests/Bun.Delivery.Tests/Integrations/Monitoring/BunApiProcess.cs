using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;

namespace Bun.Delivery.Tests.Integrations.Monitoring;

/// <summary>
/// The service as a process on a free port of 127.0.0.1 (<c>dotnet Bun.Api.dll</c>, built by the project reference),
/// without a database: <c>/healthz</c> answers 200 and <c>/notes</c> 503, which is how the tests make 5xx traffic
/// without a switch in the service.
/// </summary>
internal sealed class BunApiProcess : IAsyncDisposable
{
    private readonly Process _process;

    private BunApiProcess(Process process, int port)
    {
        _process = process;
        Port = port;
        Client = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(10) };
    }

    public int Port { get; }
    public Uri Url => new($"http://127.0.0.1:{Port}/");
    public string Address => $"127.0.0.1:{Port}";
    public HttpClient Client { get; }

    /// <param name="failureShare">Runs the test-only host (tests/Bun.Api.FaultyHost) instead, which answers 503 to this share of
    /// the application's requests (not /healthz, not /metrics): a bad version.</param>
    public static async Task<BunApiProcess> StartAsync(string version = "1.0.0", double? failureShare = null)
    {
        var assembly = Built(failureShare is null ? "BunApiAssembly" : "BunApiFaultyHostAssembly");
        var port = FreePort();
        string[] fault = failureShare is { } share ? ["--failure-share", share.ToString(System.Globalization.CultureInfo.InvariantCulture)] : [];
        var start = new ProcessStartInfo("dotnet", [assembly, "--urls", $"http://127.0.0.1:{port}", "--Logging:LogLevel:Default=Warning", $"--BUN_VERSION={version}", .. fault])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment.Remove("BUN_DATABASE_URL");
        var process = Process.Start(start) ?? throw new InvalidOperationException($"dotnet {assembly} did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var service = new BunApiProcess(process, port);
        try
        {
            await service.WaitUntilServingAsync();
            return service;
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }
    }

    /// <summary>Requests the paths round-robin, one every <paramref name="pause"/>, until cancelled: steady traffic for Prometheus to rate.</summary>
    public async Task SendTrafficAsync(string[] paths, TimeSpan pause, CancellationToken cancellation)
    {
        for (var request = 0; !cancellation.IsCancellationRequested; request++)
        {
            try
            {
                using var response = await Client.GetAsync(paths[request % paths.Length], cancellation);
                await Task.Delay(pause, cancellation);
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                return;
            }
            catch (HttpRequestException)
            {
                // The service is going away at the end of the test.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private async Task WaitUntilServingAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"Bun.Api exited with {_process.ExitCode} before it served");
            try
            {
                using var response = await Client.GetAsync("healthz");
                if (response.IsSuccessStatusCode)
                    return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("Bun.Api did not answer /healthz within 30 s");
    }

    private static string Built(string key) =>
        typeof(BunApiProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(attribute => attribute.Key == key).Value!;

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
