using Docker.DotNet;
using Docker.DotNet.Models;
using Bun.Pipeline.Failures;

namespace Bun.Delivery.Integrations.Docker;

/// <summary>The engine's side of a base image made from a root filesystem: is it there, and <c>docker import</c> of a tar.</summary>
public static class ImageImport
{
    /// <summary>The image's id (its content digest), or null when the engine has no image of that reference.</summary>
    public static async Task<string?> IdOfAsync(DockerEngine engine, string reference, CancellationToken cancellation)
    {
        try
        {
            return (await engine.Client.Images.InspectImageAsync(reference, cancellation)).ID;
        }
        catch (DockerImageNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Imports a root filesystem tar as the single-layer image <paramref name="reference"/> (repository:tag), as <c>docker import</c> does.</summary>
    /// <returns>The new image's id.</returns>
    public static async Task<string> ImportAsync(DockerEngine engine, string rootFilesystemTar, string reference, CancellationToken cancellation)
    {
        var colon = reference.LastIndexOf(':');
        var (repository, tag) = colon > reference.LastIndexOf('/') ? (reference[..colon], reference[(colon + 1)..]) : (reference, "latest");
        var error = (string?)null;
        var progress = new Progress<JSONMessage>(message => error ??= message.ErrorMessage ?? message.Error?.Message);
        await using (var tar = File.OpenRead(rootFilesystemTar))
            await engine.Client.Images.CreateImageAsync(new ImagesCreateParameters { FromSrc = "-", Repo = repository, Tag = tag }, tar, null, progress, cancellation);
        return await IdOfAsync(engine, reference, cancellation)
               ?? throw new BuildFailure($"Importing {rootFilesystemTar} as {reference} into the engine at {engine.Endpoint} failed: {error ?? "the engine has no such image afterwards"}.");
    }
}
