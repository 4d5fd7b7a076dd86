using System.Runtime.InteropServices;
using Bun.Delivery.Integrations.Docker;
using Bun.Delivery.Model.Images;
using Bun.Delivery.Orchestration.Images;
using Bun.Delivery.Tests.Model.Images;
using Bun.Pipeline.Processes;
using Docker.DotNet.Models;

namespace Bun.Delivery.Tests.Integrations.Docker;

/// <summary>
/// The real service image as the build makes it: a self-contained <c>dotnet publish</c> of src/Bun.Api (no ASP.NET
/// base can be pulled here), assembled in layers (<see cref="ServiceImage.Request"/>) on the local base image.
/// </summary>
public sealed record BunApiImage(string Id, string LocalReference, string Version, string SourceCommit, string BuildLog)
{
    public const string SourceCommitOfTests = "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b";

    /// <summary>The service as DockerImage makes it, the entrypoint included.</summary>
    public static ServiceImage Service { get; } = new("bun-api", Bun.Pipeline.Parameters.AbsolutePath.From(RepositoryRoot.PathOf("src", "Bun.Api", "Bun.Api.csproj")), "Bun.Api");

    /// <summary>A fixed time, as a commit's would be.</summary>
    public static DateTimeOffset Created { get; } = new(2026, 3, 4, 5, 6, 7, TimeSpan.Zero);

    public static ImageTag Tag { get; } = new($"main-{SourceCommitOfTests[..7]}");

    public static async Task<BunApiImage> BuildAsync(DockerEngine engine, string baseImage)
    {
        using var folder = new TempFolder();
        var recorded = new RecordedOutput();
        var publish = await PublishAsync(Service.Project, folder.Path, selfContained: true);
        var reference = $"bun-api-test:{Guid.NewGuid().ToString("N")[..12]}";
        var image = await new LayeredImageBuilder(engine).BuildAsync(Request(publish, baseImage, [reference]), recorded.Output, CancellationToken.None);
        return new BunApiImage(image.Id, reference, Tag.Value, SourceCommitOfTests, recorded.Text);
    }

    public static LayeredImageRequest Request(string publish, string baseImage, IReadOnlyList<string> references) =>
        Service.Request(publish, baseImage, Tag, SourceCommitOfTests, references,
            ImageLabels.For(SourceCommitOfTests, "https://example.invalid/bun", Tag, Created), Created);

    /// <summary>
    /// <c>dotnet publish</c> of a project into <c>&lt;folder&gt;/publish</c>, with its own artifacts folder, so that it never
    /// touches the project's obj/ while other projects build.
    /// </summary>
    public static async Task<string> PublishAsync(string project, string folder, bool selfContained)
    {
        var publish = Path.Combine(folder, "publish");
        var runtime = $"linux-{RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant()}";
        await new ProcessRunner(new RecordedOutput().Output).RunAsync("dotnet",
            ["publish", project, "-c", "Release", "-r", runtime, selfContained ? "--self-contained" : "--no-self-contained",
             "-o", publish, "--artifacts-path", Path.Combine(folder, "artifacts"), "-nologo"], echo: false);
        return publish;
    }

    public async Task RemoveAsync(DockerEngine engine)
    {
        var image = await engine.Client.Images.InspectImageAsync(Id);
        foreach (var reference in image.RepoTags ?? [])
            await engine.Client.Images.DeleteImageAsync(reference, new ImageDeleteParameters { Force = true });
    }
}
