using Bun.Delivery.Integrations.Docker;
using Bun.Delivery.Integrations.Registry;
using Bun.Delivery.Model.Images;
using Bun.Delivery.Model.Retries;
using Bun.Delivery.Tests.Integrations.Registry;
using Bun.Delivery.Tests.Model.Images;
using Bun.Pipeline.Failures;
using Xunit.Abstractions;

namespace Bun.Delivery.Tests.Integrations.Docker;

[Collection(ContainerImagesCollection.Name)]
public sealed class ImagePusherTests(DockerEngineFixture docker, RegistryServer registry, ITestOutputHelper log)
{
    private static readonly RetrySettings Quick = new(2, TimeSpan.FromMilliseconds(50));
    private readonly ImageTag _tag = new("main-1a2b3c4");

    [SkippableFact]
    public async Task A_push_returns_the_manifest_digest_the_registry_holds()
    {
        docker.Require(log);
        registry.Require(log);
        var repository = registry.NewRepository();
        await TestImages.CreateTinyAsync(docker.Engine!, repository.Reference(_tag), Guid.NewGuid().ToString());

        try
        {
            var pushed = await new ImagePusher(docker.Engine!).PushAsync(repository, _tag, null, ProgressMode.Live, new RecordedOutput().Output, CancellationToken.None);

            pushed.Repository.ShouldBe(repository.Name);
            var held = await new RegistryClient(repository, null, new RecordedOutput().Output).ResolveAsync(_tag.Value, CancellationToken.None);
            pushed.PinnedReference.ShouldBe(repository.Reference(held!));
        }
        finally
        {
            await TestImages.RemoveAsync(docker.Engine!, repository.Reference(_tag));
        }
    }

    [SkippableFact]
    public async Task A_registry_that_is_down_is_retried_then_a_clear_error_and_nothing_is_recorded()
    {
        docker.Require(log);
        RegistryServer.RequirePrivate(log);
        await using var stopped = await RegistryServer.StartPrivateAsync();
        await stopped.StopAsync();
        var repository = registry.NewRepository(stopped.Address);
        await TestImages.CreateTinyAsync(docker.Engine!, repository.Reference(_tag), "down");
        var recorded = new RecordedOutput();

        try
        {
            var failure = await Should.ThrowAsync<BuildFailure>(() =>
                new ImagePusher(docker.Engine!, Quick).PushAsync(repository, _tag, null, ProgressMode.Plain, recorded.Output, CancellationToken.None));

            failure.Message.ShouldContain($"Pushing {repository.Reference(_tag)} failed after 3 attempts");
            failure.Message.ShouldContain("connection refused");
            failure.Message.ShouldContain("Nothing was recorded as pushed");
            recorded.Text.ShouldContain("retrying in");
        }
        finally
        {
            await TestImages.RemoveAsync(docker.Engine!, repository.Reference(_tag));
        }
    }

    [SkippableFact]
    public async Task A_registry_refusing_the_credentials_is_a_clear_error_at_once_and_the_password_never_shows()
    {
        docker.Require(log);
        RegistryServer.RequirePrivate(log);
        await using var locked = await RegistryServer.StartPrivateAsync(RegistryLogins.Basic);
        var repository = registry.NewRepository(locked.Address);
        await TestImages.CreateTinyAsync(docker.Engine!, repository.Reference(_tag), "locked");
        var recorded = new RecordedOutput();

        try
        {
            var failure = await Should.ThrowAsync<BuildFailure>(() => new ImagePusher(docker.Engine!, Quick).PushAsync(
                repository, _tag, RegistryLogins.User with { Password = "wrong-password" }, ProgressMode.Plain, recorded.Output, CancellationToken.None));

            failure.Message.ShouldContain($"The registry {locked.Address} refused");
            failure.Message.ShouldContain("--registry-password");
            recorded.Text.ShouldNotContain("retrying");
            recorded.Text.ShouldNotContain("wrong-password");

            var pushed = await new ImagePusher(docker.Engine!, Quick).PushAsync(
                repository, _tag, RegistryLogins.User, ProgressMode.Plain, recorded.Output, CancellationToken.None);
            pushed.Digest.ShouldStartWith("sha256:");
        }
        finally
        {
            await TestImages.RemoveAsync(docker.Engine!, repository.Reference(_tag));
        }
    }

    [SkippableFact]
    public async Task Pushing_an_image_that_was_never_built_is_bad_input_that_names_DockerImage()
    {
        docker.Require(log);
        registry.Require(log);
        var repository = registry.NewRepository();

        var failure = await Should.ThrowAsync<BuildFailure>(() =>
            new ImagePusher(docker.Engine!).PushAsync(repository, _tag, null, ProgressMode.Plain, new RecordedOutput().Output, CancellationToken.None));

        failure.ExitCode.ShouldBe(ExitCodes.BadInput);
        failure.Message.ShouldContain("Run DockerImage first");
    }

    [Fact]
    public void Without_a_registry_a_laptop_keeps_the_image_local_with_a_notice_and_GitHub_Actions_fails()
    {
        var recorded = new RecordedOutput();

        PushTarget.Resolve(null, "bun-api", isGitHubActions: false, _tag, recorded.Output).ShouldBeNull();
        recorded.Text.ShouldContain("notice: No registry is configured");
        Should.Throw<BuildFailure>(() => PushTarget.Resolve("", "bun-api", isGitHubActions: true, _tag, recorded.Output))
            .Message.ShouldContain("BUN_REGISTRY");
        PushTarget.Resolve("127.0.0.1:5000", "bun-api", isGitHubActions: true, _tag, recorded.Output)!.Name.ShouldBe("127.0.0.1:5000/bun-api");
        PushTarget.References("127.0.0.1:5000", "bun-api", _tag).ShouldBe(["bun-api:main-1a2b3c4", "127.0.0.1:5000/bun-api:main-1a2b3c4"]);
    }
}
