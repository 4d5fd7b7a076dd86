using Bun.Delivery.Integrations.Docker;
using Bun.Delivery.Tests.Integrations.Registry;
using Bun.Delivery.Tests.Model.Images;
using Bun.Pipeline.Output;
using Docker.DotNet;
using Xunit.Abstractions;

namespace Bun.Delivery.Tests.Integrations.Docker;

/// <summary>
/// The Docker Engine for the test run (DOCKER_HOST, as .ci/services/docker.sh exports it, else the default socket),
/// the local base image (.ci/services/base-image.sh), and the real Bun.Api image, published and built once on first use.
/// </summary>
public sealed class DockerEngineFixture : IAsyncLifetime
{
    private readonly SemaphoreSlim _bunApiGate = new(1, 1);
    private BunApiImage? _bunApi;

    public DockerEngine? Engine { get; private set; }
    public string BaseImage { get; } = Environment.GetEnvironmentVariable("BUN_TEST_BASE_IMAGE") is { Length: > 0 } image ? image : "bun/base:bookworm";

    /// <summary>Why no engine answered, or null.</summary>
    public string? Unavailable { get; private set; }

    /// <summary>Why the base image is missing, or null.</summary>
    public string? BaseImageMissing { get; private set; }

    public async Task InitializeAsync()
    {
        try
        {
            Engine = await DockerEngine.ConnectAsync(Environment.GetEnvironmentVariable("DOCKER_HOST"), CancellationToken.None);
        }
        catch (Exception exception)
        {
            Unavailable = exception.Message;
            return;
        }

        try
        {
            await Engine.Client.Images.InspectImageAsync(BaseImage);
        }
        catch (DockerImageNotFoundException)
        {
            BaseImageMissing = $"the engine has no {BaseImage}";
        }
    }

    public void Require(ITestOutputHelper log) =>
        ServiceGate.Require(Unavailable, "The Docker Engine", "Start it with: eval \"$(.ci/services/docker.sh)\"", log);

    public void RequireBaseImage(ITestOutputHelper log)
    {
        Require(log);
        ServiceGate.Require(BaseImageMissing, "The local base image", "Make it once with ./build.sh BaseImage (or .ci/services/base-image.sh)", log);
    }

    /// <summary>The real Bun.Api image, assembled once per run by <see cref="LayeredImageBuilder"/> and shared by the tests that need it.</summary>
    public async Task<BunApiImage> BunApiAsync()
    {
        await _bunApiGate.WaitAsync();
        try
        {
            return _bunApi ??= await BunApiImage.BuildAsync(Engine!, BaseImage);
        }
        finally
        {
            _bunApiGate.Release();
        }
    }

    public async Task DisposeAsync()
    {
        if (_bunApi is not null && Engine is not null)
            await _bunApi.RemoveAsync(Engine);
        Engine?.Dispose();
        _bunApiGate.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class ContainerImagesCollection : ICollectionFixture<DockerEngineFixture>, ICollectionFixture<RegistryServer>
{
    public const string Name = "Container images";
}
