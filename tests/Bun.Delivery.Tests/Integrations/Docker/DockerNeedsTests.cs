using Bun.Delivery.Integrations.Docker;
using Bun.Delivery.Tests.Integrations.Registry;
using Bun.Pipeline.Failures;
using Bun.Pipeline.Targets;
using Xunit.Abstractions;

namespace Bun.Delivery.Tests.Integrations.Docker;

/// <summary>The image targets' needs, checked against the real engine and registry.</summary>
[Collection(ContainerImagesCollection.Name)]
public sealed class DockerNeedsTests(DockerEngineFixture docker, RegistryServer registry, ITestOutputHelper log)
{
    private static string? DockerHost => Environment.GetEnvironmentVariable("DOCKER_HOST");

    [SkippableFact]
    public async Task An_engine_that_answers_is_ok()
    {
        docker.Require(log);

        var status = await DockerNeeds.Engine(DockerHost).Check(CancellationToken.None);

        status.State.ShouldBe(NeedState.Ok);
        status.Detail.ShouldBe($"answers at {docker.Engine!.Endpoint}");
    }

    [Fact]
    public async Task No_engine_is_a_refusal_that_says_to_start_one_or_set_DOCKER_HOST()
    {
        var socket = $"unix:///tmp/bun-no-engine-{Guid.NewGuid():N}.sock";

        var failure = await Should.ThrowAsync<BuildFailure>(() => DockerNeeds.Engine(socket).Check(CancellationToken.None));

        failure.Message.ShouldStartWith($"No Docker Engine answered at {socket} (from DOCKER_HOST)");
        failure.Message.ShouldContain("Start the engine");
    }

    [Fact]
    public async Task Without_an_engine_the_base_image_is_not_checked_rather_than_reported_twice()
    {
        var status = await DockerNeeds.BaseImage($"unix:///tmp/bun-no-engine-{Guid.NewGuid():N}.sock", "bun/base:bookworm", "make one").Check(CancellationToken.None);

        status.ShouldBe(NeedStatus.NotChecked("no Docker engine answers to look it up in"));
    }

    [SkippableFact]
    public async Task A_base_image_the_engine_has_is_ok()
    {
        docker.RequireBaseImage(log);

        var status = await DockerNeeds.BaseImage(DockerHost, docker.BaseImage, "make one").Check(CancellationToken.None);

        status.ShouldBe(NeedStatus.Ok("present in the engine"));
    }

    [SkippableFact]
    public async Task A_base_image_the_engine_can_pull_from_its_registry_is_ok()
    {
        docker.Require(log);
        registry.Require(log);
        var repository = registry.NewRepository();
        using (var seeder = new RegistrySeeder(repository))
            await seeder.TagAsync("1.0", "base");

        var status = await DockerNeeds.BaseImage(DockerHost, $"{repository.Name}:1.0", "make one").Check(CancellationToken.None);

        status.ShouldBe(NeedStatus.Ok("pullable"));
    }

    [SkippableFact]
    public async Task A_base_image_neither_present_nor_pullable_is_missing_with_what_to_do()
    {
        docker.Require(log);
        registry.Require(log);
        var image = $"{registry.NewRepository().Name}:never-pushed";

        var status = await DockerNeeds.BaseImage(DockerHost, image, "run ./build.sh BaseImage").Check(CancellationToken.None);

        status.State.ShouldBe(NeedState.Missing);
        status.Detail.ShouldStartWith($"the engine at {docker.Engine!.Endpoint} does not have it and cannot pull it (");
        status.Detail.ShouldEndWith("); run ./build.sh BaseImage");
        status.Detail.ShouldNotContain("\n");
    }
}
