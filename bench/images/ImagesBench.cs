#:project ../../src/Bun.Delivery/Bun.Delivery.csproj
// The images benchmark (see run.sh and docs/images.md):
//   build   <publish-dir> <dockerfile> <base-image> <runs>   DockerImage through Docker.DotNet against `docker build`, medians
//   cleanup <registry> <tags>                                CleanupFeatureImages of <tags> tags on a local registry
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Bun.Delivery.Integrations.Docker;
using Bun.Delivery.Model.Branches;
using Bun.Delivery.Model.Images;
using Bun.Delivery.Orchestration.Images;
using Bun.Pipeline.Output;

var quiet = new BuildOutput(TextWriter.Null, new OutputStyle(false, false), new SecretMasker());
switch (args)
{
    case ["build", var publish, var dockerfile, var baseImage, var runs]:
        await BenchBuildAsync(publish, dockerfile, baseImage, int.Parse(runs));
        break;
    case ["cleanup", var registry, var tags]:
        await BenchCleanupAsync(registry, int.Parse(tags));
        break;
    default:
        Console.Error.WriteLine("usage: ImagesBench.cs build <publish-dir> <dockerfile> <base-image> <runs> | cleanup <registry> <tags>");
        return 2;
}

return 0;

async Task BenchBuildAsync(string publish, string dockerfile, string baseImage, int runs)
{
    using var engine = await DockerEngine.ConnectAsync(Environment.GetEnvironmentVariable("DOCKER_HOST"), CancellationToken.None);
    var arguments = new Dictionary<string, string> { ["BASE_IMAGE"] = baseImage, ["VERSION"] = "bench", ["SOURCE_COMMIT"] = "bench" };
    var bun = new List<double>();
    var cli = new List<double>();
    // Alternate the two so that neither gets a warmer engine; the first pair warms the layer cache and is not counted.
    for (var run = 0; run <= runs; run++)
    {
        var watch = Stopwatch.StartNew();
        await new DockerImageBuilder(engine).BuildAsync(
            new ImageBuildRequest(publish, dockerfile, ["bun-bench/bun:latest"], new Dictionary<string, string>(), arguments), quiet, CancellationToken.None);
        var bunSeconds = watch.Elapsed.TotalSeconds;

        watch.Restart();
        var start = new ProcessStartInfo("docker", ["build", "-q", "-f", dockerfile, "-t", "bun-bench/cli:latest",
            .. arguments.SelectMany(pair => new[] { "--build-arg", $"{pair.Key}={pair.Value}" }), publish])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["DOCKER_BUILDKIT"] = "0" },
        };
        using (var process = Process.Start(start)!)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"docker build failed: {await stderr}");
        }

        var cliSeconds = watch.Elapsed.TotalSeconds;
        if (run == 0)
            continue;
        bun.Add(bunSeconds);
        cli.Add(cliSeconds);
        Console.WriteLine($"run {run}: Docker.DotNet {bunSeconds:0.000} s, docker build {cliSeconds:0.000} s");
    }

    foreach (var reference in new[] { "bun-bench/bun:latest", "bun-bench/cli:latest" })
        await engine.Client.Images.DeleteImageAsync(reference, new Docker.DotNet.Models.ImageDeleteParameters { Force = true });
    var ratio = Median(bun) / Median(cli);
    Console.WriteLine($"median: Docker.DotNet {Median(bun):0.000} s, docker build {Median(cli):0.000} s, ratio {ratio:0.00} (target <= 1.1)");
}

async Task BenchCleanupAsync(string registry, int count)
{
    var repository = ImageRepository.Parse($"{registry}/bench-{Guid.NewGuid().ToString("N")[..8]}", "bun-api");
    var branch = Branch.Classify("feature/bench");
    var others = count / 10;
    var watch = Stopwatch.StartNew();
    await SeedAsync(repository, Enumerable.Range(0, count).Select(index => index < others ? $"main-{index:x7}" : $"feature-bench-{index:x7}").ToList());
    Console.WriteLine($"seeded {count} tags ({count - others} of feature/bench, {others} of main) in {watch.Elapsed.TotalSeconds:0.0} s");

    watch.Restart();
    var dry = await MergedBranchCleanup.RunAsync(repository, null, branch, dryRun: true, quiet, CancellationToken.None);
    Console.WriteLine($"dry run (list and resolve {count} tags): {dry.Deleted.Count} to delete, {watch.Elapsed.TotalSeconds:0.00} s");

    watch.Restart();
    var report = await MergedBranchCleanup.RunAsync(repository, null, branch, dryRun: false, quiet, CancellationToken.None);
    var first = watch.Elapsed.TotalSeconds;
    watch.Restart();
    var again = await MergedBranchCleanup.RunAsync(repository, null, branch, dryRun: false, quiet, CancellationToken.None);
    Console.WriteLine($"cleanup of {count} tags: deleted {report.Deleted.Count} in {first:0.00} s (target <= 10 s); " +
                      $"second run deleted {again.Deleted.Count} in {watch.Elapsed.TotalSeconds:0.00} s");
}

// Each tag gets its own manifest (an annotation tells them apart) over one shared config blob.
static async Task SeedAsync(ImageRepository repository, IReadOnlyList<string> tags)
{
    using var http = new HttpClient { BaseAddress = new Uri($"http://{repository.Host}/v2/{repository.Path}/") };
    var config = Encoding.UTF8.GetBytes("""{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]},"config":{}}""");
    var configDigest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(config));
    using (var start = await http.PostAsync("blobs/uploads/", null))
    {
        var location = start.EnsureSuccessStatusCode().Headers.Location!.ToString();
        using var finish = await http.PutAsync($"{location}{(location.Contains('?') ? '&' : '?')}digest={configDigest}", new ByteArrayContent(config));
        finish.EnsureSuccessStatusCode();
    }

    await Parallel.ForEachAsync(tags, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (tag, token) =>
    {
        var manifest = $$$"""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{{configDigest}}}","size":{{{config.Length}}}},"layers":[],"annotations":{"tag":"{{{tag}}}"}}""";
        using var content = new StringContent(manifest, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.oci.image.manifest.v1+json");
        using var response = await http.PutAsync($"manifests/{tag}", content, token);
        response.EnsureSuccessStatusCode();
    });
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}
