using System.Globalization;
using Bun.Delivery.Integrations.Docker;
using Bun.Delivery.Integrations.Registry;
using Bun.Delivery.Model.Context;
using Bun.Delivery.Model.Images;
using Bun.Pipeline;
using Bun.Pipeline.Failures;
using Bun.Pipeline.Parameters;
using Bun.Pipeline.Processes;
using Bun.Pipeline.Targets;

namespace Bun.Delivery.Orchestration.Images;

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
/// only declares them. The image is assembled from a self-contained publish under <c>.nuke/temp/publish</c>, one layer
/// per rate of change (<see cref="PublishLayers"/>), dated by its commit, tagged by the delivery context
/// (<see cref="ImageTags"/>), and the push is recorded for the deploy targets (<see cref="PushedImage.RecordPath"/>).
/// It takes the context and the build's services (output, processes, checkout, host), not the build class.
/// </summary>
public sealed class ImageTargets(DeliveryContext context, BuildServices services, ServiceImage image, ImageSettings settings)
{
    private AbsolutePath PublishRoot => services.Root / ".nuke" / "temp" / "publish";

    /// <summary>What <c>dotnet publish</c> writes, which is what the image's layers hold.</summary>
    public AbsolutePath PublishDirectory => PublishRoot / image.App;

    /// <summary>
    /// Publishes the service self-contained for the engine's platform, then assembles the image on the base: the .NET
    /// runtime, the packages and the app as three layers, the commit's time as its time, tagged
    /// <c>&lt;app&gt;:&lt;tag&gt;</c> (and <c>&lt;registry&gt;/&lt;app&gt;:&lt;tag&gt;</c> with a registry), with the OCI labels.
    /// </summary>
    public async Task<BuiltImage> BuildAsync(CancellationToken cancellation)
    {
        var tag = ImageTags.For(context);
        var created = await CommitTimeAsync(cancellation);
        using var engine = await ConnectAsync(cancellation);
        await PublishAsync(await RuntimeIdentifierAsync(engine, cancellation), cancellation);

        var source = await SourceUrlAsync(cancellation);
        if (source is null)
            services.Output.Dim($"No source address (no GitHub Actions repository, no usable origin remote): the image has no {ImageLabels.Source} label.");
        var request = image.Request(PublishDirectory, BaseImage, tag, context.Commit,
            PushTarget.References(settings.Registry, image.App, tag), ImageLabels.WithDirty(ImageLabels.For(context.Commit, source, tag, created), context.ChangedFiles), created);
        if (context.IsDirty)
            services.Output.Notice($"The work tree has uncommitted changes ({string.Join(", ", context.ChangedFiles.Take(5))}{(context.ChangedFiles.Count > 5 ? ", …" : "")}): " +
                                   $"the image is tagged {tag} and labelled {ImageLabels.Dirty}, and deploys refuse it.");
        return await new LayeredImageBuilder(engine).BuildAsync(request, services.Output, cancellation);
    }

    /// <summary>
    /// Pushes this context's image and records it for the deploy targets. Without a registry on a laptop, a notice, and the
    /// image's content digest in the local engine is recorded instead, marked as local (null when the engine lacks the
    /// image). Any earlier record is removed first, so the record only ever names an image of this run.
    /// </summary>
    public async Task<PushedImage?> PushAsync(CancellationToken cancellation)
    {
        var record = PushedImage.RecordPath(services.Root);
        if (File.Exists(record))
            File.Delete(record);
        var tag = ImageTags.For(context);
        var repository = PushTarget.Resolve(settings.Registry, image.App, services.Environment.IsGitHubActions, tag, services.Output);
        using var engine = await ConnectAsync(cancellation);
        var pushed = repository is null
            ? await LocalImageAsync(engine, tag, cancellation)
            : await new ImagePusher(engine).PushAsync(repository, tag, settings.Credentials,
                ProgressModes.For(services.Environment.IsTerminal, services.Environment.IsGitHubActions), services.Output, cancellation);
        if (pushed is null)
            return null;
        await pushed.WriteAsync(record, cancellation);
        services.Output.Info($"Recorded {pushed.PinnedReference} in {Path.GetRelativePath(services.Root, record)} for the deploy targets.");
        // A workflow's deploy jobs run on other machines: they receive the digest as the build job's output "image".
        services.SetStepOutput(PushedImage.StepOutput, pushed.PinnedReference);
        return pushed;
    }

    // The content digest is the image id: the one digest a local image has, and what the same commit rebuilt gives again.
    private async Task<PushedImage?> LocalImageAsync(DockerEngine engine, ImageTag tag, CancellationToken cancellation)
    {
        var reference = $"{image.App}:{tag}";
        try
        {
            var local = await engine.Client.Images.InspectImageAsync(reference, cancellation);
            services.Output.Notice($"Deploys pin {reference} by its content digest {local.ID}, marked as local: no cluster could pull it.");
            return PushedImage.InLocalEngine(image.App, tag.Value, local.ID);
        }
        catch (global::Docker.DotNet.DockerImageNotFoundException)
        {
            services.Output.Notice($"The engine at {engine.Endpoint} has no {reference} (DockerImage did not run), so nothing is recorded for the deploys.");
            return null;
        }
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

    /// <summary>
    /// The image's time: <c>SOURCE_DATE_EPOCH</c> when set, else the commit's committer time, never the build's, so that
    /// rebuilding one commit gives the same digest.
    /// </summary>
    private async Task<DateTimeOffset> CommitTimeAsync(CancellationToken cancellation)
    {
        if (services.Environment.Variables.GetValueOrDefault("SOURCE_DATE_EPOCH") is { Length: > 0 } epoch)
            return long.TryParse(epoch.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
                ? DateTimeOffset.FromUnixTimeSeconds(seconds)
                : throw BuildFailure.BadInput($"SOURCE_DATE_EPOCH is '{epoch}', not a number of seconds since 1970. Unset it to date the image by its commit.");
        try
        {
            var result = await services.Processes.RunAsync("git", ["log", "-1", "--format=%ct", context.Commit], cancellation, services.Root, echo: false);
            if (long.TryParse(result.Lines.FirstOrDefault(), CultureInfo.InvariantCulture, out var committed))
                return DateTimeOffset.FromUnixTimeSeconds(committed);
        }
        catch (ProcessFailedException)
        {
            // Reported below, with what to do.
        }

        throw BuildFailure.BadInput(
            $"DockerImage dates the image by its commit, and git could not read the time of {context.Commit} in {services.Root}. " +
            "Run it in a checkout that has the commit, or set SOURCE_DATE_EPOCH.");
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

    /// <summary>What DockerImage needs before anything runs: an engine, and the base image in it or pullable.</summary>
    /// <param name="baseImageMadeFirst">BaseImage runs first and makes the base, so only the engine is needed.</param>
    public Need[] BuildNeeds(bool baseImageMadeFirst) => baseImageMadeFirst
        ? [DockerNeeds.Engine(DockerHost)]
        : [DockerNeeds.Engine(DockerHost), DockerNeeds.BaseImage(DockerHost, BaseImage, BaseImageRemedy(BaseImage))];

    /// <summary>What PushImage needs: with a registry, an engine to push from and the registry answering; without one, nothing is pushed.</summary>
    public Need[] PushNeeds => string.IsNullOrWhiteSpace(settings.Registry) ? [RegistryAnswers] : [DockerNeeds.Engine(DockerHost), RegistryAnswers];

    /// <summary>The configured registry answers /v2/ (CleanupFeatureImages, PushImage).</summary>
    public Need RegistryAnswers => RegistryNeeds.Answers(settings.Registry, settings.Credentials,
        services.Environment.IsGitHubActions ? "no --registry" : "no --registry: the image stays in the local engine");

    // What to do when the base image is neither in the engine nor pullable (air-gapped, or no public registry).
    private static string BaseImageRemedy(string baseImage) =>
        $"make it with ./build.sh BaseImage --base-image {baseImage}, give --base-image an image the engine has (docker images), or make {baseImage} pullable by the engine";

    private string BaseImage => string.IsNullOrWhiteSpace(settings.BaseImage) ? ServiceImage.DefaultBaseImage : settings.BaseImage.Trim();

    private string? DockerHost => services.Environment.Variables.GetValueOrDefault("DOCKER_HOST");

    private Task<DockerEngine> ConnectAsync(CancellationToken cancellation) => DockerEngine.ConnectAsync(DockerHost, cancellation);
}
