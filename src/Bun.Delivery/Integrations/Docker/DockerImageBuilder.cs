using Bun.Pipeline.Failures;
using Bun.Pipeline.Output;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Bun.Delivery.Integrations.Docker;

/// <summary>Builds an image through the engine's build API, streaming each step, and fails with the step that broke.</summary>
public sealed class DockerImageBuilder(DockerEngine engine)
{
    private const int FailedStepTail = 10;

    public async Task<BuiltImage> BuildAsync(ImageBuildRequest request, BuildOutput output, CancellationToken cancellation)
    {
        if (request.References.Count == 0)
            throw new ArgumentException("An image needs at least one reference to be tagged with.", nameof(request));

        await using var context = await BuildContext.CreateAsync(request.ContextDirectory, request.Dockerfile, cancellation);
        output.Info($"Building {string.Join(", ", request.References)} from {request.ContextDirectory} on {engine.Endpoint}");

        var parameters = new ImageBuildParameters
        {
            Dockerfile = context.DockerfileInContext,
            Tags = request.References.ToList(),
            Labels = request.Labels.ToDictionary(),
            BuildArgs = request.BuildArguments.ToDictionary(),
            Remove = true,
            ForceRemove = true,
        };
        var progress = new BuildProgress(output);
        try
        {
            await engine.Client.Images.BuildImageFromDockerfileAsync(parameters, context.Tar, [], new Dictionary<string, string>(), progress, cancellation);
        }
        catch (DockerApiException exception)
        {
            throw Failed(request, progress, exception.ResponseBody.Trim());
        }
        catch (Exception) when (context.Written.Exception?.GetBaseException() is { } unreadable)
        {
            throw new BuildFailure($"Reading the build context {request.ContextDirectory} failed: {unreadable.Message}");
        }

        if (progress.Error is { } error)
            throw Failed(request, progress, error);
        if (progress.ImageId is null)
            throw new BuildFailure($"Building {request.References[0]} ended without an image id from the engine at {engine.Endpoint}; its output is above.");
        // A built image means the engine read the whole tar, so the writer is done.
        var entries = await context.Written;

        var image = await engine.Client.Images.InspectImageAsync(progress.ImageId, cancellation);
        output.Success($"Built {image.ID} as {string.Join(", ", request.References)} from {entries} context entries");
        return new BuiltImage(image.ID, request.References);
    }

    private static BuildFailure Failed(ImageBuildRequest request, BuildProgress progress, string message)
    {
        if (progress.CurrentStep is not { } step)
            return new BuildFailure($"Building {request.References[0]} failed before the first step: {message}");
        var tail = progress.StepOutput.TakeLast(FailedStepTail).ToList();
        return new BuildFailure($"Building {request.References[0]} failed at {step}\n{message}" +
                                (tail.Count == 0 ? "" : "\nLast lines of the step:\n" + string.Join('\n', tail)));
    }
}
