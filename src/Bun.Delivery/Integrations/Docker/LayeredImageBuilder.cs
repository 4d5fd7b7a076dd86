using System.IO.Pipelines;
using System.Security.Cryptography;
using Bun.Pipeline.Failures;
using Bun.Pipeline.Output;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Bun.Delivery.Integrations.Docker;

/// <summary>
/// Assembles an image from a base and deterministic layers (<see cref="LayerTar"/>, <see cref="ImageConfig"/>) and
/// loads it into the engine, as jib and ko do; the classic builder stamps build times into layers and config, so two
/// builds of one input would differ. Equal inputs give the same layers and the same image id. A layer the engine
/// already holds (in the base or an earlier image of the same repositories) is not sent again.
/// </summary>
public sealed class LayeredImageBuilder(DockerEngine engine)
{
    private const int EarlierImagesConsulted = 20;

    public async Task<BuiltImage> BuildAsync(LayeredImageRequest request, BuildOutput output, CancellationToken cancellation)
    {
        if (request.References.Count == 0)
            throw new ArgumentException("An image needs at least one reference to be tagged with.", nameof(request));
        if (!Directory.Exists(request.SourceDirectory))
            throw BuildFailure.BadInput($"The image's files '{request.SourceDirectory}' do not exist. Run the step that produces them first (e.g. the publish).");

        var baseImage = await BaseImageAsync(request.BaseImage, output, cancellation);
        output.Info($"Assembling {string.Join(", ", request.References)} on {request.BaseImage} from {request.SourceDirectory} on {engine.Endpoint}");
        var target = request.Container.WorkingDirectory.Trim('/');
        var layers = new List<(ImageLayer Layer, string DiffId)>();
        var sizes = new List<long>();
        foreach (var layer in request.Layers.Where(layer => layer.Files.Count > 0))
        {
            await using var digest = new DigestingStream();
            await LayerTar.WriteAsync(digest, request.SourceDirectory, target, layer, cancellation);
            layers.Add((layer, digest.Digest));
            sizes.Add(digest.Written);
        }

        var config = ImageConfig.Write(request.BaseImage, baseImage, request, layers);
        var id = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(config));
        var held = await HeldChainsAsync(baseImage, request.References, cancellation);

        var scratch = Directory.CreateTempSubdirectory("bun-image-layers-");
        try
        {
            var chain = new List<string>(baseImage.RootFS?.Layers ?? []);
            var files = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var index = 0; index < layers.Count; index++)
            {
                var (layer, diffId) = layers[index];
                chain.Add(diffId);
                var line = $"  layer {index + 1}/{layers.Count}: {layer.Description}, {layer.Files.Count} files, {Bytes.Format(sizes[index])}, {diffId[..19]}";
                if (held.Contains(ChainKey(chain)))
                {
                    output.Dim(line + ", already in the engine");
                    continue;
                }

                files[diffId] = await WriteLayerAsync(scratch.FullName, request, target, layer, diffId, cancellation);
                output.Info(line);
            }

            await LoadAsync(request, id, config, [.. chain], files, output, cancellation);
        }
        finally
        {
            scratch.Delete(recursive: true);
        }

        output.Success($"Built {id} as {string.Join(", ", request.References)} ({layers.Count} layers on {request.BaseImage})");
        return new BuiltImage(id, request.References);
    }

    private async Task<ImageInspectResponse> BaseImageAsync(string reference, BuildOutput output, CancellationToken cancellation)
    {
        try
        {
            return await engine.Client.Images.InspectImageAsync(reference, cancellation);
        }
        catch (DockerImageNotFoundException)
        {
            output.Info($"Pulling the base image {reference}");
        }

        var progress = new BuildProgress(output);
        try
        {
            await engine.Client.Images.CreateImageAsync(new ImagesCreateParameters { FromImage = reference }, null, progress, cancellation);
            if (progress.Error is null)
                return await engine.Client.Images.InspectImageAsync(reference, cancellation);
        }
        catch (DockerApiException exception)
        {
            throw BaseImageMissing(reference, exception.ResponseBody.Trim());
        }

        throw BaseImageMissing(reference, progress.Error);
    }

    private BuildFailure BaseImageMissing(string reference, string reason) => BuildFailure.BadInput(
        $"The base image {reference} is not in the engine at {engine.Endpoint}, and pulling it failed: {reason}. " +
        "Pull it first, make a local Debian base with ./build.sh BaseImage (where no registry can be reached), or name another with --base-image.");

    // Every chain of layers the engine holds: the base's, and those of earlier images of the repositories to tag.
    private async Task<HashSet<string>> HeldChainsAsync(ImageInspectResponse baseImage, IReadOnlyList<string> references, CancellationToken cancellation)
    {
        var held = new HashSet<string>(StringComparer.Ordinal);
        AddChains(held, baseImage.RootFS?.Layers);
        foreach (var repository in references.Select(Repository).Distinct(StringComparer.Ordinal))
        {
            var images = await engine.Client.Images.ListImagesAsync(new ImagesListParameters
            {
                Filters = new Dictionary<string, IDictionary<string, bool>> { ["reference"] = new Dictionary<string, bool> { [repository] = true } },
            }, cancellation);
            foreach (var image in images.OrderByDescending(image => image.Created).Take(EarlierImagesConsulted))
            {
                try
                {
                    AddChains(held, (await engine.Client.Images.InspectImageAsync(image.ID, cancellation)).RootFS?.Layers);
                }
                catch (DockerImageNotFoundException)
                {
                    // Removed since it was listed: it holds nothing any more.
                }
            }
        }

        return held;
    }

    private static void AddChains(HashSet<string> held, IList<string>? layers)
    {
        for (var length = 1; length <= (layers?.Count ?? 0); length++)
            held.Add(ChainKey(layers!.Take(length)));
    }

    private static string ChainKey(IEnumerable<string> diffIds) => string.Join('\n', diffIds);

    private static string Repository(string reference)
    {
        var colon = reference.LastIndexOf(':');
        return colon > reference.LastIndexOf('/') ? reference[..colon] : reference;
    }

    // The same writer again, now to a file: had a file changed since the digest pass, the bytes would not match it.
    private static async Task<string> WriteLayerAsync(string scratch, LayeredImageRequest request, string target, ImageLayer layer, string diffId, CancellationToken cancellation)
    {
        var path = Path.Combine(scratch, diffId["sha256:".Length..] + ".tar");
        await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
        await using (var digest = new DigestingStream(file))
        {
            await LayerTar.WriteAsync(digest, request.SourceDirectory, target, layer, cancellation);
            if (digest.Digest != diffId)
                throw new BuildFailure($"The files of the layer '{layer.Description}' in {request.SourceDirectory} changed while the image was assembled. Run the build again.");
        }

        return path;
    }

    private async Task LoadAsync(
        LayeredImageRequest request, string id, byte[] config, IReadOnlyList<string> chain, IReadOnlyDictionary<string, string> files,
        BuildOutput output, CancellationToken cancellation)
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 8 << 20, resumeWriterThreshold: 4 << 20, minimumSegmentSize: 1 << 16));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var writing = Task.Run(async () =>
        {
            try
            {
                await using (var stream = pipe.Writer.AsStream(leaveOpen: true))
                    await ImageArchive.WriteAsync(stream, id, config, chain, files, request.References, stop.Token);
                await pipe.Writer.CompleteAsync();
            }
            catch (Exception exception)
            {
                await pipe.Writer.CompleteAsync(exception);
                throw;
            }
        }, stop.Token);

        var progress = new BuildProgress(output);
        try
        {
            await using var archive = pipe.Reader.AsStream();
            await engine.Client.Images.LoadImageAsync(new ImageLoadParameters { Quiet = false }, archive, progress, cancellation);
            await writing;
        }
        catch (DockerApiException exception)
        {
            throw LoadFailed(request, exception.ResponseBody.Trim());
        }
        finally
        {
            await stop.CancelAsync();
            await writing.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        if (progress.Error is { } error)
            throw LoadFailed(request, error);
        var loaded = await engine.Client.Images.InspectImageAsync(request.References[0], cancellation);
        if (loaded.ID != id)
            throw new BuildFailure($"The engine at {engine.Endpoint} holds {loaded.ID} as {request.References[0]} after the load, not {id}; its output is above.");
    }

    private BuildFailure LoadFailed(LayeredImageRequest request, string message) =>
        new($"Loading {request.References[0]} into the engine at {engine.Endpoint} failed: {message}");
}
