using System.Runtime.InteropServices;
using Bun.Delivery.Integrations.Docker;
using Bun.Delivery.Model.Images;
using Bun.Delivery.Tests.Model.Images;
using Bun.Pipeline.Processes;
using Docker.DotNet.Models;

namespace Bun.Delivery.Tests.Integrations.Docker;

/// <summary>
/// The real service image as the build makes it: a self-contained <c>dotnet publish</c> of src/Bun.Api (no ASP.NET
/// base can be pulled here) built with src/Bun.Api/Dockerfile on the local base image.
/// </summary>
public sealed record BunApiImage(string Id, string LocalReference, string Version, string SourceCommit, string BuildLog)
{
    public static async Task<BunApiImage> BuildAsync(DockerEngine engine, string baseImage)
    {
        var root = RepositoryRoot.Folder;
        var folder = Directory.CreateTempSubdirectory("bun-api-image-").FullName;
        try
        {
            var recorded = new RecordedOutput();
            var publish = Path.Combine(folder, "publish");
            var runtime = $"linux-{RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant()}";
            // Its own artifacts folder, so that this publish never touches src/Bun.Api/obj while other projects build.
            await new ProcessRunner(recorded.Output).RunAsync("dotnet",
                ["publish", Path.Combine(root, "src/Bun.Api/Bun.Api.csproj"), "-c", "Release", "-r", runtime, "--self-contained",
                 "-o", publish, "--artifacts-path", Path.Combine(folder, "artifacts"), "-nologo"], echo: false);

            var sourceCommit = "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b";
            var tag = new ImageTag($"main-{sourceCommit[..7]}");
            var reference = $"bun-api-test:{Guid.NewGuid().ToString("N")[..12]}";
            var image = await new DockerImageBuilder(engine).BuildAsync(new ImageBuildRequest(
                publish,
                Path.Combine(root, "src/Bun.Api/Dockerfile"),
                [reference],
                ImageLabels.For(sourceCommit, "https://example.invalid/bun", tag, DateTimeOffset.UtcNow),
                new Dictionary<string, string> { ["BASE_IMAGE"] = baseImage, ["VERSION"] = tag.Value, ["SOURCE_COMMIT"] = sourceCommit }),
                recorded.Output, CancellationToken.None);
            return new BunApiImage(image.Id, reference, tag.Value, sourceCommit, recorded.Text);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    public async Task RemoveAsync(DockerEngine engine)
    {
        var image = await engine.Client.Images.InspectImageAsync(Id);
        foreach (var reference in image.RepoTags ?? [])
            await engine.Client.Images.DeleteImageAsync(reference, new ImageDeleteParameters { Force = true });
    }
}
