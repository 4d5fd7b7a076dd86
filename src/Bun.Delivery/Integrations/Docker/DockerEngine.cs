using Bun.Pipeline.Failures;
using Docker.DotNet;

namespace Bun.Delivery.Integrations.Docker;

/// <summary>
/// A connection to a Docker Engine that answered a ping. The endpoint is <c>DOCKER_HOST</c>, else the local default
/// socket; requests carry no API version, so the engine answers in its own (the client works with 20.10 and newer).
/// </summary>
public sealed class DockerEngine : IDisposable
{
    public const string DefaultUnixSocket = "unix:///var/run/docker.sock";
    public const string DefaultNamedPipe = "npipe://./pipe/docker_engine";

    private readonly DockerClientConfiguration _configuration;

    private DockerEngine(DockerClientConfiguration configuration, DockerClient client, string endpoint)
    {
        _configuration = configuration;
        Client = client;
        Endpoint = endpoint;
    }

    public DockerClient Client { get; }
    public string Endpoint { get; }

    /// <param name="dockerHost">The value of <c>DOCKER_HOST</c>, or null when it is not set.</param>
    /// <param name="answerWithin">How long the engine may take to answer its ping (default 10 s).</param>
    public static async Task<DockerEngine> ConnectAsync(string? dockerHost, CancellationToken cancellation, TimeSpan? answerWithin = null)
    {
        var within = answerWithin ?? TimeSpan.FromSeconds(10);
        var endpoint = string.IsNullOrWhiteSpace(dockerHost) ? (OperatingSystem.IsWindows() ? DefaultNamedPipe : DefaultUnixSocket) : dockerHost.Trim();
        var origin = string.IsNullOrWhiteSpace(dockerHost) ? "DOCKER_HOST is not set, so the default socket was tried" : "from DOCKER_HOST";
        if (!Uri.TryCreate(endpoint.Replace("tcp://", "http://", StringComparison.OrdinalIgnoreCase), UriKind.Absolute, out var uri))
            throw BuildFailure.BadInput($"DOCKER_HOST '{endpoint}' is not an address: expected e.g. {DefaultUnixSocket} or tcp://127.0.0.1:2375.");

        var configuration = new DockerClientConfiguration(uri, defaultTimeout: TimeSpan.FromMinutes(10));
        var client = configuration.CreateClient();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            timeout.CancelAfter(within);
            await client.System.PingAsync(timeout.Token);
            return new DockerEngine(configuration, client, endpoint);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellation.IsCancellationRequested)
        {
            client.Dispose();
            configuration.Dispose();
            throw new BuildFailure(
                $"No Docker Engine answered at {endpoint} ({origin}): {Reason(exception, within)}. " +
                "Start the engine (e.g. `dockerd &` as root, or .ci/services/docker.sh) or set DOCKER_HOST to where it listens.");
        }
    }

    public void Dispose()
    {
        Client.Dispose();
        _configuration.Dispose();
    }

    private static string Reason(Exception exception, TimeSpan within) => exception switch
    {
        OperationCanceledException or TimeoutException => $"no answer within {within.TotalSeconds:0.#} s",
        DockerApiException api => $"it answered {(int)api.StatusCode}: {api.ResponseBody.Trim()}",
        _ => exception.GetBaseException().Message,
    };
}
