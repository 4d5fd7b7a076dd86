using Bun.Delivery.Integrations.Docker;
using Bun.Delivery.Orchestration.Images;
using Bun.Delivery.Tests.Integrations.Docker;
using Bun.Delivery.Tests.Model.Images;
using Bun.Delivery.Tests.Support;
using Bun.Pipeline;
using Bun.Pipeline.Failures;
using Bun.Pipeline.Parameters;
using Bun.Pipeline.Processes;
using Xunit.Abstractions;

namespace Bun.Delivery.Tests.EndToEnd;

/// <summary>
/// The BaseImage target against the real engine. It imports the root filesystem cached by the run's own BaseImage
/// (.ci/services/base-image.sh), under a tag of its own, so the shared bun/base:bookworm is never touched.
/// </summary>
[Collection(ContainerImagesCollection.Name)]
public sealed class BaseImageTargetTests(DockerEngineFixture docker, ITestOutputHelper log)
{
    [SkippableFact]
    public async Task BaseImage_makes_the_tagged_base_from_the_cached_root_filesystem_then_finds_it_there_and_DockerImage_plans_it_only_while_missing()
    {
        docker.RequireBaseImage(log);
        var reference = $"bun/base:t-{Guid.NewGuid().ToString("N")[..8]}";
        using var folder = new TempFolder();
        await Git.InitAsync(folder.Path, "feature/base");
        try
        {
            var plan = await Hosts.RunAsync(folder.Path, Engine(), ["DockerImage", "--plan", "--base-image", reference]);
            var made = await Hosts.RunAsync(folder.Path, Engine(), ["BaseImage", "--base-image", reference]);
            var again = await Hosts.RunAsync(folder.Path, Engine(), ["BaseImage", "--base-image", reference]);
            var planned = await Hosts.RunAsync(folder.Path, Engine(), ["DockerImage", "--plan", "--base-image", reference]);

            plan.Out.ShouldContain("+ BaseImage: the base image is missing and cannot be pulled is true");
            made.ExitCode.ShouldBe(0, made.All);
            made.Out.ShouldContain($"Made {reference} (sha256:");
            made.Out.ShouldContain($"export BUN_BASE_IMAGE={reference}");
            var image = await docker.Engine!.Client.Images.InspectImageAsync(reference);
            image.RootFS.Layers.Count.ShouldBe(1);
            image.Size.ShouldBeGreaterThan(50_000_000, "a Debian minbase with ICU and OpenSSL");
            again.ExitCode.ShouldBe(0, again.All);
            again.Out.ShouldContain($"{reference} is already in the engine");
            planned.Out.ShouldContain("- BaseImage: the base image is missing and cannot be pulled is false");
        }
        finally
        {
            await TestImages.RemoveAsync(docker.Engine!, reference);
        }
    }

    [Fact]
    public async Task BaseImage_refuses_to_tag_a_local_root_filesystem_with_a_registry_images_name()
    {
        using var folder = new TempFolder();
        await Git.InitAsync(folder.Path, "main");

        var run = await Hosts.RunAsync(folder.Path, Engine(), ["BaseImage", "--base-image", "mcr.microsoft.com/dotnet/aspnet:10.0"]);

        run.ExitCode.ShouldNotBe(0, run.All);
        run.All.ShouldContain("BaseImage makes a local image, and 'mcr.microsoft.com/dotnet/aspnet:10.0' (--base-image) names a registry's image or a digest.");
    }

    [SkippableFact]
    public async Task Without_debootstrap_and_without_a_cache_the_message_gives_the_command_that_installs_it()
    {
        docker.Require(log);
        using var cache = new TempFolder();
        var output = new RecordedOutput();
        var environment = new BuildEnvironment(new Dictionary<string, string>(Engine()) { ["BUN_CACHE_DIR"] = cache.Path, ["PATH"] = cache.Path },
            TextWriter.Null, TextWriter.Null, IsTerminal: false, cache.Path, Cores: 1);
        var maker = new BaseImageMaker(new BuildServices(output.Output, new ProcessRunner(output.Output), AbsolutePath.From(cache.Path), environment), systemFolders: []);

        var failure = await Should.ThrowAsync<BuildFailure>(() => maker.MakeAsync($"bun/base:t-{Guid.NewGuid().ToString("N")[..8]}", CancellationToken.None));

        failure.ExitCode.ShouldBe(2);
        failure.Message.ShouldContain("debootstrap, which is not installed. Install it with `sudo apt-get install debootstrap`");
        Directory.EnumerateFiles(cache.Path, "*", SearchOption.AllDirectories).ShouldBeEmpty("nothing is half-written");
    }

    private static Dictionary<string, string> Engine() =>
        Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } dockerHost ? new() { ["DOCKER_HOST"] = dockerHost } : [];
}
