using System.Net.Http.Headers;
using System.Text.Json;
using Bun.Delivery.Integrations.Docker;
using Bun.Delivery.Model.Images;
using Bun.Delivery.Orchestration.Images;
using Bun.Delivery.Tests.EndToEnd;
using Bun.Delivery.Tests.Integrations.Registry;
using Bun.Delivery.Tests.Model.Images;
using Bun.Pipeline.Failures;
using Docker.DotNet.Models;
using Xunit.Abstractions;

namespace Bun.Delivery.Tests.Integrations.Docker;

/// <summary>The service image assembled in layers (<see cref="LayeredImageBuilder"/>) against the real engine and registry.</summary>
[Collection(ContainerImagesCollection.Name)]
public sealed class LayeredImageBuilderTests(DockerEngineFixture docker, RegistryServer registry, ITestOutputHelper log)
{
    [SkippableFact]
    public async Task Equal_framework_dependent_publishes_give_the_same_layers_and_image_id_even_from_a_copy_with_other_file_times()
    {
        docker.RequireBaseImage(log);
        using var folder = new TempFolder();
        var publish = await BunApiImage.PublishAsync(BunApiImage.Service.Project, folder.Path, selfContained: false);
        var copy = Path.Combine(folder.Path, "copy");
        CopyWithOtherTimes(publish, copy);
        string[] references = [$"bun-layers-test:{Unique()}", $"bun-layers-test:{Unique()}"];
        var engine = docker.Engine!;

        try
        {
            var first = await BuildAsync(publish, references[0]);
            var firstLayers = (await engine.Client.Images.InspectImageAsync(first.Image.Id)).RootFS.Layers;
            // Removing it removes its layers, so the second build sends every layer again and the engine checks each diff id.
            await TestImages.RemoveAsync(engine, references[0]);
            var second = await BuildAsync(copy, references[1]);

            second.Image.Id.ShouldBe(first.Image.Id);
            (await engine.Client.Images.InspectImageAsync(second.Image.Id)).RootFS.Layers.ShouldBe(firstLayers);
            firstLayers.Count.ShouldBe((await engine.Client.Images.InspectImageAsync(docker.BaseImage)).RootFS.Layers.Count + 2);
            second.Log.ShouldContain($"layer 1/2: {PublishLayers.Packages}");
            second.Log.ShouldContain($"layer 2/2: {PublishLayers.App}");
            second.Log.ShouldNotContain("already in the engine");
        }
        finally
        {
            await TestImages.RemoveAsync(engine, references);
        }
    }

    [SkippableFact]
    public async Task A_one_line_change_rebuilds_and_pushes_only_the_app_layer()
    {
        docker.RequireBaseImage(log);
        registry.Require(log);
        var engine = docker.Engine!;
        var original = await docker.BunApiAsync();
        using var checkout = await ServiceCheckout.CreateAsync("main", origin: null);
        var buildInfo = Path.Combine(checkout.Path, "src", "Bun.Api", "BuildInfo.cs");
        await File.WriteAllTextAsync(buildInfo, (await File.ReadAllTextAsync(buildInfo)).Replace("\"0.0.0-local\"", "\"0.0.0-changed\"", StringComparison.Ordinal));
        var changedPublish = await BunApiImage.PublishAsync(Path.Combine(checkout.Path, "src", "Bun.Api", "Bun.Api.csproj"), checkout.Path, selfContained: true);
        var repository = registry.NewRepository();
        var (before, after) = (new ImageTag("main-0000001"), new ImageTag("main-0000002"));
        await engine.Client.Images.TagImageAsync(original.LocalReference, new ImageTagParameters { RepositoryName = repository.Name, Tag = before.Value });

        try
        {
            await new ImagePusher(engine).PushAsync(repository, before, null, ProgressMode.Plain, new RecordedOutput().Output, CancellationToken.None);
            var changed = await BuildAsync(changedPublish, repository.Reference(after));
            var pushed = new RecordedOutput();
            await new ImagePusher(engine).PushAsync(repository, after, null, ProgressMode.Plain, pushed.Output, CancellationToken.None);

            var beforeLayers = (await engine.Client.Images.InspectImageAsync(original.Id)).RootFS.Layers;
            var afterLayers = (await engine.Client.Images.InspectImageAsync(changed.Image.Id)).RootFS.Layers;
            afterLayers.Count.ShouldBe(beforeLayers.Count);
            afterLayers.SkipLast(1).ShouldBe(beforeLayers.SkipLast(1), "the base, the runtime and the packages stay the same bytes");
            afterLayers[^1].ShouldNotBe(beforeLayers[^1]);
            changed.Log.ShouldContain($"{PublishLayers.Runtime}, ");
            changed.Log.ShouldContain("already in the engine");
            // Only the app layer travels to the registry; every other blob is already there.
            Lines(pushed.Text, ": Pushed").Count.ShouldBe(1, pushed.Text);
            Lines(pushed.Text, ": Layer already exists").Count.ShouldBe(afterLayers.Count - 1, pushed.Text);
            var (blobsBefore, blobsAfter) = (await LayerBlobsAsync(repository, before), await LayerBlobsAsync(repository, after));
            blobsAfter.SkipLast(1).ShouldBe(blobsBefore.SkipLast(1));
            blobsAfter[^1].ShouldNotBe(blobsBefore[^1]);
        }
        finally
        {
            await TestImages.RemoveAsync(engine, repository.Reference(before), repository.Reference(after));
        }
    }

    [SkippableFact]
    public async Task A_base_image_that_is_neither_local_nor_pullable_is_bad_input_and_tags_nothing()
    {
        docker.Require(log);
        registry.Require(log);
        using var folder = new TempFolder();
        folder.Write("App.deps.json", """{ "runtimeTarget": { "name": "x" }, "targets": { "x": {} }, "libraries": {} }""");
        folder.Write("App.runtimeconfig.json", "{}");
        var reference = $"bun-layers-test:{Unique()}";
        var request = BunApiImage.Request(folder.Path, $"{registry.Address}/t-{Unique()}/missing:1", [reference]);

        var failure = await Should.ThrowAsync<BuildFailure>(() =>
            new LayeredImageBuilder(docker.Engine!).BuildAsync(request, new RecordedOutput().Output, CancellationToken.None));

        failure.ExitCode.ShouldBe(2);
        failure.Message.ShouldContain("is not in the engine at");
        failure.Message.ShouldContain("--base-image");
        await Should.ThrowAsync<global::Docker.DotNet.DockerImageNotFoundException>(() => docker.Engine!.Client.Images.InspectImageAsync(reference));
    }

    private async Task<(BuiltImage Image, string Log)> BuildAsync(string publish, string reference)
    {
        var recorded = new RecordedOutput();
        var image = await new LayeredImageBuilder(docker.Engine!).BuildAsync(BunApiImage.Request(publish, docker.BaseImage, [reference]), recorded.Output, CancellationToken.None);
        log.WriteLine(recorded.Text);
        return (image, recorded.Text);
    }

    private static List<string> Lines(string text, string marker) => text.Split('\n').Where(line => line.Contains(marker, StringComparison.Ordinal)).ToList();

    private static async Task<List<string>> LayerBlobsAsync(ImageRepository repository, ImageTag tag)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{repository.Host}/v2/{repository.Path}/manifests/{tag.Value}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.docker.distribution.manifest.v2+json"));
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        using var manifest = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return manifest.RootElement.GetProperty("layers").EnumerateArray().Select(layer => layer.GetProperty("digest").GetString()!).ToList();
    }

    private static void CopyWithOtherTimes(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
            File.SetLastWriteTimeUtc(target, new DateTime(2001, 2, 3, 4, 5, 6, DateTimeKind.Utc));
        }
    }

    private static string Unique() => Guid.NewGuid().ToString("N")[..12];
}
