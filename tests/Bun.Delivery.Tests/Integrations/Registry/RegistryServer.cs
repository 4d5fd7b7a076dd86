using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Bun.Delivery.Model.Images;
using Bun.Delivery.Tests.Model.Images;
using Xunit.Abstractions;

namespace Bun.Delivery.Tests.Integrations.Registry;

/// <summary>
/// The OCI registry for the test run: the one .ci/services/registry.sh started (BUN_TEST_REGISTRY), else a
/// <c>docker-registry serve</c> of its own on a free port of 127.0.0.1. Tests that stop a registry or need a login
/// start a private one with <see cref="StartPrivateAsync"/>. Each test uses its own repository name.
/// </summary>
public sealed class RegistryServer : IAsyncLifetime
{
    private RegistryProcess? _own;

    public string Address { get; private set; } = "";

    /// <summary>Why no registry is available, or null.</summary>
    public string? Unavailable { get; private set; }

    public async Task InitializeAsync()
    {
        var configured = Environment.GetEnvironmentVariable("BUN_TEST_REGISTRY");
        try
        {
            if (!string.IsNullOrWhiteSpace(configured))
            {
                Address = configured.Trim();
                await RegistryProcess.WaitUntilAnswersAsync(Address, TimeSpan.FromSeconds(10));
                return;
            }

            _own = await StartPrivateAsync();
            Address = _own.Address;
        }
        catch (Exception exception)
        {
            Unavailable = string.IsNullOrWhiteSpace(configured) ? exception.Message : $"BUN_TEST_REGISTRY={configured}: {exception.Message}";
        }
    }

    public void Require(ITestOutputHelper log) => ServiceGate.Require(Unavailable, "The OCI registry", "Start it with: eval \"$(.ci/services/registry.sh)\"", log);

    /// <summary>A repository of its own for one test, e.g. <c>127.0.0.1:5000/t-1a2b3c4d/bun-api</c>.</summary>
    public ImageRepository NewRepository(string? address = null) => ImageRepository.Parse($"{address ?? Address}/t-{Guid.NewGuid().ToString("N")[..8]}", "bun-api");

    /// <summary>Tests may start registries of their own: docker-registry is installed.</summary>
    public static void RequirePrivate(ITestOutputHelper log) => ServiceGate.Require(
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Any(folder => File.Exists(Path.Combine(folder, "docker-registry")))
            ? null
            : "docker-registry is not on PATH",
        "A private OCI registry", "Install it with: apt-get install -y docker-registry", log);

    /// <summary>A registry of its own; <paramref name="auth"/> writes its files into the registry's folder and returns the <c>auth:</c> section.</summary>
    public static Task<RegistryProcess> StartPrivateAsync(Func<string, string>? auth = null) => RegistryProcess.StartAsync(auth);

    public async Task DisposeAsync()
    {
        if (_own is not null)
            await _own.DisposeAsync();
    }
}

/// <summary>One <c>docker-registry serve</c> process with deletes enabled and throwaway storage.</summary>
public sealed class RegistryProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _folder;

    private RegistryProcess(Process process, string folder, string address)
    {
        _process = process;
        _folder = folder;
        Address = address;
    }

    public string Address { get; }

    public static async Task<RegistryProcess> StartAsync(Func<string, string>? authSection)
    {
        var folder = Directory.CreateTempSubdirectory("bun-registry-").FullName;
        var address = $"127.0.0.1:{FreePort()}";
        var auth = authSection?.Invoke(folder) ?? "";

        var config = Path.Combine(folder, "config.yml");
        await File.WriteAllTextAsync(config,
            $"version: 0.1\nlog:\n  level: warn\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: {folder}/storage\n  delete:\n    enabled: true\nhttp:\n  addr: {address}\n{auth}");
        var start = new ProcessStartInfo("docker-registry", ["serve", config]) { RedirectStandardOutput = true, RedirectStandardError = true };
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new InvalidOperationException($"docker-registry could not be started ({exception.Message}); install it with apt-get install docker-registry");
        }

        // Drain its logs so the process never blocks on a full pipe.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var registry = new RegistryProcess(process, folder, address);
        try
        {
            await WaitUntilAnswersAsync(address, TimeSpan.FromSeconds(20));
        }
        catch
        {
            await registry.DisposeAsync();
            throw;
        }

        return registry;
    }

    public static async Task WaitUntilAnswersAsync(string address, TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                using var response = await http.GetAsync($"http://{address}/v2/");
                if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Unauthorized)
                    return;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }
            catch (TaskCanceledException) when (DateTime.UtcNow < deadline)
            {
            }

            if (DateTime.UtcNow >= deadline)
                throw new InvalidOperationException($"no registry answered at http://{address}/v2/ within {timeout.TotalSeconds:0} s");
            await Task.Delay(100);
        }
    }

    /// <summary>Stops the registry now, as a crash would: its port refuses connections from here on.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited)
            return;
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
