using System.Formats.Tar;
using Bun.Delivery.Integrations.Docker;
using Docker.DotNet.Models;

namespace Bun.Delivery.Tests.Integrations.Docker;

/// <summary>Small images made in the engine for tests that push or tag, so they move kilobytes rather than the base image.</summary>
internal static class TestImages
{
    /// <summary>Imports a one-file root filesystem as <paramref name="reference"/> (repository:tag); the content makes its digest unique.</summary>
    public static async Task CreateTinyAsync(DockerEngine engine, string reference, string content)
    {
        using var tar = new MemoryStream();
        await using (var writer = new TarWriter(tar, leaveOpen: true))
        {
            using var data = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content));
            await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, "hello.txt") { DataStream = data });
        }

        tar.Position = 0;
        var colon = reference.LastIndexOf(':');
        await engine.Client.Images.CreateImageAsync(
            new ImagesCreateParameters { FromSrc = "-", Repo = reference[..colon], Tag = reference[(colon + 1)..] },
            tar, null, new Progress<JSONMessage>());
    }

    public static async Task RemoveAsync(DockerEngine engine, params string[] references)
    {
        foreach (var reference in references)
        {
            try
            {
                await engine.Client.Images.DeleteImageAsync(reference, new ImageDeleteParameters { Force = true });
            }
            catch (global::Docker.DotNet.DockerImageNotFoundException)
            {
                // Already gone: nothing to tidy.
            }
        }
    }
}
