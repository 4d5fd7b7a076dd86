#:project ../../src/Bun.Delivery/Bun.Delivery.csproj
// The layers benchmark (see layers.sh and docs/benchmarks.md): for each approach, push the image of the first publish,
// then for every later publish (each one line of Bun.Api apart from the one before) time building and pushing it, and
// count the bytes of the layers the registry did not have yet.
//   LayersBench.cs <single-layer-dockerfile> <base-image> <registry> <publish-dir> <changed-publish-dir>...
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using Bun.Delivery.Integrations.Docker;
using Bun.Delivery.Model.Images;
using Bun.Delivery.Orchestration.Images;
using Bun.Pipeline.Output;
using Bun.Pipeline.Parameters;
using var engine = await DockerEngine.ConnectAsync(Environment.GetEnvironmentVariable("DOCKER_HOST"), CancellationToken.None);
var service = new ServiceImage("bun-api", AbsolutePath.From(Path.GetFullPath("src/Bun.Api/Bun.Api.csproj")), "Bun.Api");
var run = Guid.NewGuid().ToString("N")[..8];
var approaches = new Dictionary<string, Func<string, string, Task>>
{
    ["single layer (Dockerfile, COPY . .)"] = (publish, reference) => new DockerImageBuilder(engine).BuildAsync(new ImageBuildRequest(
        publish, dockerfile, [reference], new Dictionary<string, string>(),
        new Dictionary<string, string> { ["BASE_IMAGE"] = baseImage, ["VERSION"] = "bench", ["SOURCE_COMMIT"] = "bench" }), quiet, CancellationToken.None),
    ["three layers (LayeredImageBuilder)"] = (publish, reference) => new LayeredImageBuilder(engine).BuildAsync(
        service.Request(publish, baseImage, new ImageTag("bench"), "bench", [reference], new Dictionary<string, string>(), DateTimeOffset.UnixEpoch),
        quiet, CancellationToken.None),
};
var results = approaches.Keys.ToDictionary(name => name, _ => new List<(double Seconds, long NewBytes, long ImageBytes)>());

var repositories = approaches.Keys.Select((name, index) => (name, ImageRepository.Parse($"{registry}/bench-{run}-{index}", "bun-api"))).ToDictionary();
foreach (var (name, build) in approaches)
    await BuildAndPushAsync(build, repositories[name], original, 0);
// Alternate the approaches, so that neither gets a quieter machine.
for (var index = 0; index < changed.Length; index++)
{
    foreach (var (name, build) in approaches)
    {
        var watch = Stopwatch.StartNew();
        await BuildAndPushAsync(build, repositories[name], changed[index], index + 1);
        var seconds = watch.Elapsed.TotalSeconds;
        var before = await LayersAsync(repositories[name], Tag(index));
        var after = await LayersAsync(repositories[name], Tag(index + 1));
        var newBytes = after.Where(layer => !before.ContainsKey(layer.Key)).Sum(layer => layer.Value);
        results[name].Add((seconds, newBytes, after.Values.Sum()));
        Console.WriteLine($"change {index + 1}, {name}: build + push {seconds:0.00} s, new layers {Mb(newBytes)} of {Mb(after.Values.Sum())}");
    }
}

foreach (var repository in repositories.Values)
{
    for (var index = 0; index <= changed.Length; index++)
        await engine.Client.Images.DeleteImageAsync(repository.Reference(Tag(index)), new Docker.DotNet.Models.ImageDeleteParameters { Force = true });
}

var single = results.Values.First();
var layered = results.Values.Last();
foreach (var (name, rows) in results)
    Console.WriteLine($"median, {name}: build + push {Median(rows.Select(row => row.Seconds)):0.00} s, new layers {Mb((long)Median(rows.Select(row => (double)row.NewBytes)))} " +
                      $"({Median(rows.Select(row => 100.0 * row.NewBytes / row.ImageBytes)):0.00}% of the {Mb(rows[0].ImageBytes)} image)");
Console.WriteLine($"three layers against one: new bytes {100 * Median(layered.Select(row => (double)row.NewBytes)) / Median(single.Select(row => (double)row.NewBytes)):0.00}% (goal <= 2%), " +
                  $"time {Median(layered.Select(row => row.Seconds)) / Median(single.Select(row => row.Seconds)):0.00}x");
return 0;

async Task BuildAndPushAsync(Func<string, string, Task> build, ImageRepository repository, string publish, int index)
{
    await build(publish, repository.Reference(Tag(index)));
    await new ImagePusher(engine).PushAsync(repository, Tag(index), null, ProgressMode.Plain, quiet, CancellationToken.None);
}

static ImageTag Tag(int index) => new($"change-{index}");

// The manifest's layers, digest to compressed size: what a registry stores and a push uploads.
static async Task<Dictionary<string, long>> LayersAsync(ImageRepository repository, ImageTag tag)
{
    using var http = new HttpClient();
    using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{repository.Host}/v2/{repository.Path}/manifests/{tag.Value}");
    request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.docker.distribution.manifest.v2+json"));
    using var response = (await http.SendAsync(request)).EnsureSuccessStatusCode();
    using var manifest = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    return manifest.RootElement.GetProperty("layers").EnumerateArray()
        .ToDictionary(layer => layer.GetProperty("digest").GetString()!, layer => layer.GetProperty("size").GetInt64());
}

static string Mb(long bytes) => bytes < 1024 * 1024 ? $"{bytes / 1024.0:0.0} KB" : $"{bytes / 1024.0 / 1024:0.00} MB";

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}
