using Bun.Delivery.Model.Images;
using Bun.Delivery.Model.Retries;
using Bun.Pipeline.Failures;
using Bun.Pipeline.Output;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Bun.Delivery.Integrations.Docker;

/// <summary>
/// Pushes a locally built image through the engine: credentials travel in the request, layer progress is shown,
/// transient failures are retried (<see cref="PushRetry"/>), and the manifest digest the registry answered is returned.
/// </summary>
public sealed class ImagePusher(DockerEngine engine, RetrySettings? retry = null)
{
    private static readonly string[] RefusedMarkers = ["unauthorized", "authentication required", "denied", "no basic auth credentials", "forbidden"];

    private static readonly string[] TransientMarkers =
    [
        "connection refused", "connection reset", "broken pipe", "i/o timeout", "timeout", "eof", "no such host",
        "502 bad gateway", "503 service unavailable", "504 gateway", "500 internal server error", "toomanyrequests", "too many requests",
        "tls handshake", "server misbehaving", "temporarily unavailable",
    ];

    public async Task<PushedImage> PushAsync(
        ImageRepository repository, ImageTag tag, RegistryCredentials? credentials, ProgressMode mode, BuildOutput output, CancellationToken cancellation)
    {
        var reference = repository.Reference(tag);
        await RequireLocalImageAsync(reference, cancellation);
        if (credentials is not null)
            output.RegisterSecret(credentials.Password);

        var settings = retry ?? RetrySettings.Default;
        var pipeline = PushRetry.Create(settings, $"Pushing {reference}", output);
        output.Info($"Pushing {reference}{(credentials is null ? "" : $" as {credentials.Username}")}");
        try
        {
            var digest = await pipeline.ExecuteAsync(async token => await PushOnceAsync(repository, tag, credentials, mode, output, token), cancellation);
            output.Success($"Pushed {reference} as {repository.Reference(digest)}");
            return new PushedImage(repository.Name, tag.Value, digest.Value);
        }
        catch (TransientPushException exception)
        {
            throw new BuildFailure(
                $"Pushing {reference} failed after {settings.MaxRetries + 1} attempts: {exception.Message}. " +
                $"Check that the registry {repository.Host} is up and reachable (--registry / BUN_REGISTRY), then run PushImage again. " +
                "Nothing was recorded as pushed.");
        }
    }

    private async Task<ImageDigest> PushOnceAsync(
        ImageRepository repository, ImageTag tag, RegistryCredentials? credentials, ProgressMode mode, BuildOutput output, CancellationToken cancellation)
    {
        var progress = new PushProgress(output, mode);
        var authentication = credentials is null
            ? new AuthConfig { ServerAddress = repository.Host }
            : new AuthConfig { Username = credentials.Username, Password = credentials.Password, ServerAddress = repository.Host };
        try
        {
            await engine.Client.Images.PushImageAsync(repository.Name, new ImagePushParameters { Tag = tag.Value }, authentication, progress, cancellation);
        }
        catch (DockerApiException exception)
        {
            throw Classify(repository, tag, exception.ResponseBody.Trim());
        }
        catch (HttpRequestException exception)
        {
            throw new TransientPushException($"the engine at {engine.Endpoint} dropped the connection: {exception.Message}");
        }

        if (progress.Error is { } error)
            throw Classify(repository, tag, error);
        if (progress.Digest is null)
            throw new BuildFailure($"Pushing {repository.Reference(tag)} ended without a manifest digest from the engine; the push is not recorded.");
        return new ImageDigest(progress.Digest);
    }

    private static Exception Classify(ImageRepository repository, ImageTag tag, string error)
    {
        var lower = error.ToLowerInvariant();
        if (RefusedMarkers.Any(lower.Contains))
            return new BuildFailure(
                $"The registry {repository.Host} refused to accept {repository.Reference(tag)}: {error}. " +
                "Check the registry credentials (--registry-username / --registry-password) and that they may push to this repository.");
        if (TransientMarkers.Any(lower.Contains))
            return new TransientPushException(error);
        return new BuildFailure($"Pushing {repository.Reference(tag)} failed: {error}");
    }

    private async Task RequireLocalImageAsync(string reference, CancellationToken cancellation)
    {
        try
        {
            await engine.Client.Images.InspectImageAsync(reference, cancellation);
        }
        catch (DockerImageNotFoundException)
        {
            throw BuildFailure.BadInput($"There is no image {reference} in the engine at {engine.Endpoint} to push. Run DockerImage first.");
        }
    }
}
