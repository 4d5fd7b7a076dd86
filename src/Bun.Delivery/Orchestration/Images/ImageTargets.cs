using Bun.Delivery.Integrations.Docker;
using Bun.Delivery.Model.Context;
using Bun.Delivery.Model.Images;
using Bun.Pipeline;
using Bun.Pipeline.Failures;
using Bun.Pipeline.Parameters;
using Bun.Pipeline.Processes;

namespace Bun.Delivery.Orchestration.Images;

/// <summary>The image a build makes: the app's name in the registry, the project published into it, and its Dockerfile.</summary>
public sealed record ServiceImage(string App, AbsolutePath Project, AbsolutePath Dockerfile);

/// <summary>
/// The build's image parameters: <c>--registry</c>, <c>--base-image</c>, the registry login, and GitHub's API address
/// for ghcr.io cleanup (default api.github.com).
/// </summary>
public sealed record ImageSettings(string? Registry, string? BaseImage, string? RegistryUsername, string? RegistryPassword, string? GitHubApiUrl = null)
{
    public RegistryCredentials? Credentials => RegistryCredentials.From(RegistryUsername, RegistryPassword);
}

/// <summary>
/// The work of the DockerImage, PushImage and CleanupFeatureImages targets (docs/images.md), so that the build class
/// only declares them. The image is built from a self-contained publish under <c>.nuke/temp/publish</c>, tagged by the
/// delivery context (<see cref="ImageTags"/>), and the push is recorded for the deploy targets (<see cref="PushedImage.RecordPath"/>).
/// It takes the context and the build's services (output, processes, checkout, host), not the build class.
/// </summary>
public sealed class ImageTargets(DeliveryContext context, BuildServices services, ServiceImage image, ImageSettings settings)
{
    private AbsolutePath PublishRoot => services.Root / ".nuke" / "temp" / "publish";

    /// <summary>What <c>dotnet publish</c> writes, which is the image's build context.</summary>
    public AbsolutePath PublishDirectory => PublishRoot / image.App;

    /// <summary>
    /// Publishes the service self-contained for the engine's platform, then builds the image with the Dockerfile, tagged
    /// <c>&lt;app&gt;:&lt;tag&gt;</c> (and <c>&lt;registry&gt;/&lt;app&gt;:&lt;tag&gt;</c> with a registry), with the OCI labels.
    /// </summary>
    public async Task<BuiltImage> BuildAsync(CancellationToken cancellation)
    {
        var tag = ImageTags.For(context);
        using var engine = await ConnectAsync(cancellation);
        await PublishAsync(await RuntimeIdentifierAsync(engine, cancellation), cancellation);

        var buildArguments = new Dictionary<string, string> { ["VERSION"] = tag.Value, ["SOURCE_COMMIT"] = context.Commit };
        if (!string.IsNullOrWhiteSpace(settings.BaseImage))
            buildArguments["BASE_IMAGE"] = settings.BaseImage.Trim();
        var source = await SourceUrlAsync(cancellation);
        if (source is null)
            services.Output.Dim($"No source address (no GitHub Actions repository, no usable origin remote): the image has no {ImageLabels.Source} label.");
        var request = new ImageBuildRequest(
            PublishDirectory,
            image.Dockerfile,
            PushTarget.References(settings.Registry, image.App, tag),
            ImageLabels.For(context.Commit, source, tag, DateTimeOffset.UtcNow),
            buildArguments);
        return await new DockerImageBuilder(engine).BuildAsync(request, services.Output, cancellation);
    }

    /// <summary>
    /// Pushes this context's image and records it for the deploy targets; without a registry on a laptop, a notice and
    /// null. Any earlier record is removed first, so the record only ever names an image this run pushed.
    /// </summary>
    public async Task<PushedImage?> PushAsync(CancellationToken cancellation)
    {
        var record = PushedImage.RecordPath(services.Root);
        if (File.Exists(record))
            File.Delete(record);
        var tag = ImageTags.For(context);
        if (PushTarget.Resolve(settings.Registry, image.App, services.Environment.IsGitHubActions, tag, services.Output) is not { } repository)
            return null;

        using var engine = await ConnectAsync(cancellation);
        var progress = ProgressModes.For(services.Environment.IsTerminal, services.Environment.IsGitHubActions);
        var pushed = await new ImagePusher(engine).PushAsync(repository, tag, settings.Credentials, progress, services.Output, cancellation);
        await pushed.WriteAsync(record, cancellation);
        services.Output.Info($"Recorded {pushed.PinnedReference} in {Path.GetRelativePath(services.Root, record)} for the deploy targets.");
        // A workflow's deploy jobs run on other machines: they receive the digest as the build job's output "image".
        services.SetStepOutput(PushedImage.StepOutput, pushed.PinnedReference);
        return pushed;
    }

    /// <summary>
    /// Deletes the tags of the merged pull request's head branch (the context's branch) from the registry; on ghcr.io,
    /// the package versions that carry only those tags, through GitHub's packages API.
    /// </summary>
    public Task<CleanupReport> CleanupAsync(bool dryRun, CancellationToken cancellation)
    {
        var registry = string.IsNullOrWhiteSpace(settings.Registry)
            ? throw BuildFailure.BadInput("CleanupFeatureImages needs --registry (or BUN_REGISTRY): the registry whose tags it deletes.")
            : settings.Registry;
        return MergedBranchCleanup.RunAsync(ImageRepository.Parse(registry, image.App), settings.Credentials, context.Branch, dryRun, services.Output, cancellation, settings.GitHubApiUrl);
    }

    /// <summary>
    /// <c>dotnet publish -c Release -r &lt;rid&gt; --self-contained</c> into an emptied folder, so no file of an earlier
    /// publish reaches the image. Its intermediate files go to their own artifacts folder, never to the project's obj/.
    /// </summary>
    private async Task PublishAsync(string runtime, CancellationToken cancellation)
    {
        if (Directory.Exists(PublishDirectory))
            Directory.Delete(PublishDirectory, recursive: true);
        services.Output.Info($"Publishing {Path.GetRelativePath(services.Root, image.Project)} self-contained for {runtime} into {Path.GetRelativePath(services.Root, PublishDirectory)}");
        await services.Processes.RunAsync("dotnet",
            ["publish", image.Project, "--configuration", "Release", "--runtime", runtime, "--self-contained",
             "--output", PublishDirectory, "--artifacts-path", PublishRoot / "artifacts", "-nologo"],
            cancellation, services.Root);
    }

    // The image runs on the engine's platform, which need not be the one the build runs on.
    private static async Task<string> RuntimeIdentifierAsync(DockerEngine engine, CancellationToken cancellation)
    {
        var version = await engine.Client.System.GetVersionAsync(cancellation);
        return (version.Os, version.Arch) switch
        {
            ("linux", "amd64") => "linux-x64",
            ("linux", "arm64") => "linux-arm64",
            ("linux", "arm") => "linux-arm",
            _ => throw new BuildFailure(
                $"The Docker Engine at {engine.Endpoint} runs {version.Os}/{version.Arch}; the service image is built for linux on amd64, arm64 or arm. " +
                "Point DOCKER_HOST at a Linux engine."),
        };
    }

    private async Task<string?> SourceUrlAsync(CancellationToken cancellation) =>
        SourceUrl.FromGitHubActions(services.Environment.Variables) ?? SourceUrl.FromRemote(await OriginRemoteAsync(cancellation));

    private async Task<string?> OriginRemoteAsync(CancellationToken cancellation)
    {
        try
        {
            var result = await services.Processes.RunAsync("git", ["remote", "get-url", "origin"], cancellation, services.Root, echo: false);
            return result.Lines.FirstOrDefault();
        }
        catch (ProcessFailedException)
        {
            return null;  // no origin remote
        }
    }

    private Task<DockerEngine> ConnectAsync(CancellationToken cancellation) =>
        DockerEngine.ConnectAsync(services.Environment.Variables.GetValueOrDefault("DOCKER_HOST"), cancellation);
}
