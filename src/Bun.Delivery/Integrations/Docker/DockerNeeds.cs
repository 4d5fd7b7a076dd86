using System.Net.Sockets;
using System.Text.Json;
using Bun.Pipeline.Targets;
using Docker.DotNet;

namespace Bun.Delivery.Integrations.Docker;

/// <summary>
/// What the image targets need from Docker before anything runs: an engine that answers, and a base image the engine
/// has or can pull. Each check takes a few seconds at most: a ping, an image inspect, and the engine's
/// <c>/distribution</c> lookup, which asks the registry for the manifest without pulling a layer.
/// </summary>
public static class DockerNeeds
{
    public static readonly TimeSpan AnswerWithin = TimeSpan.FromSeconds(3);

    /// <summary>A Docker engine answers at <c>DOCKER_HOST</c> (or the default socket).</summary>
    public static Need Engine(string? dockerHost) => new("a Docker engine", async cancellation =>
    {
        using var engine = await DockerEngine.ConnectAsync(dockerHost, cancellation, AnswerWithin);
        return NeedStatus.Ok($"answers at {engine.Endpoint}");
    });

    /// <summary>
    /// The engine has <paramref name="baseImage"/>, or its registry serves it. <paramref name="otherwise"/> is what to do
    /// when neither holds (e.g. "give --base-image with an image the engine has").
    /// </summary>
    public static Need BaseImage(string? dockerHost, string baseImage, string otherwise) => new($"the base image {baseImage}", async cancellation =>
    {
        DockerEngine engine;
        try
        {
            engine = await DockerEngine.ConnectAsync(dockerHost, cancellation, AnswerWithin);
        }
        catch (Pipeline.Failures.BuildFailure)
        {
            return NeedStatus.NotChecked("no Docker engine answers to look it up in");
        }

        using var connected = engine;
        try
        {
            await engine.Client.Images.InspectImageAsync(baseImage, cancellation);
            return NeedStatus.Ok("present in the engine");
        }
        catch (DockerImageNotFoundException) when (engine.Endpoint.StartsWith("npipe:", StringComparison.OrdinalIgnoreCase))
        {
            return NeedStatus.NotChecked("not in the engine; whether it can be pulled is checked on unix-socket and tcp engines only");
        }
        catch (DockerImageNotFoundException)
        {
            var refusal = await DistributionRefusalAsync(engine.Endpoint, baseImage, cancellation);
            return refusal is null
                ? NeedStatus.Ok("pullable")
                : NeedStatus.Missing($"the engine at {engine.Endpoint} does not have it and cannot pull it ({refusal}); {otherwise}");
        }
    });

    // GET /distribution/<image>/json: the engine resolves the manifest with the registry, as a pull would, without pulling.
    private static async Task<string?> DistributionRefusalAsync(string endpoint, string image, CancellationToken cancellation)
    {
        using var http = EngineHttp(endpoint);
        using var response = await http.GetAsync($"distribution/{image}/json", cancellation);
        if (response.IsSuccessStatusCode)
            return null;
        var body = await response.Content.ReadAsStringAsync(cancellation);
        try
        {
            return JsonDocument.Parse(body).RootElement.GetProperty("message").GetString()?.Trim() ?? body.Trim();
        }
        catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return $"the engine answered {(int)response.StatusCode}: {body.Trim()}";
        }
    }

    private static HttpClient EngineHttp(string endpoint)
    {
        var uri = new Uri(endpoint.Replace("tcp://", "http://", StringComparison.OrdinalIgnoreCase));
        if (uri.Scheme != "unix")
            return new HttpClient { BaseAddress = new Uri(uri.GetLeftPart(UriPartial.Authority) + "/"), Timeout = AnswerWithin };
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellation) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(uri.LocalPath), cancellation);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        return new HttpClient(handler) { BaseAddress = new Uri("http://docker/"), Timeout = AnswerWithin };
    }
}
