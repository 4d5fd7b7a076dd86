using Bun.Delivery.Integrations.Registry;
using Bun.Delivery.Model.Images;
using Bun.Delivery.Model.Retries;
using Bun.Delivery.Tests.Integrations.Docker;
using Bun.Delivery.Tests.Model.Images;
using Bun.Pipeline.Failures;
using Xunit.Abstractions;

namespace Bun.Delivery.Tests.Integrations.Registry;

/// <summary>A promotion's retag against the real registry: the manifest copied under the new tag through the HTTP API v2.</summary>
[Collection(ContainerImagesCollection.Name)]
public sealed class RetagTests(RegistryServer registry, ITestOutputHelper log)
{
    private static readonly RetrySettings Quick = new(2, TimeSpan.FromMilliseconds(50));

    [SkippableFact]
    public async Task Retag_points_the_new_tag_at_exactly_that_digest_and_keeps_the_old_tag()
    {
        registry.Require(log);
        var repository = registry.NewRepository();
        using var seeder = new RegistrySeeder(repository);
        var digest = await seeder.TagAsync("1.4.0-rc.1a2b3c4", "release");
        using var client = new RegistryClient(repository, null, new RecordedOutput().Output);

        await client.RetagAsync(digest, new ImageTag("1.4.0"), CancellationToken.None);

        (await client.ResolveAsync("1.4.0", CancellationToken.None)).ShouldBe(digest);
        (await client.ResolveAsync("1.4.0-rc.1a2b3c4", CancellationToken.None)).ShouldBe(digest);
    }

    [SkippableFact]
    public async Task Retag_moves_a_tag_that_pointed_at_another_image()
    {
        registry.Require(log);
        var repository = registry.NewRepository();
        using var seeder = new RegistrySeeder(repository);
        var promoted = await seeder.TagAsync("1.4.0-rc.2222222", "second");
        await seeder.TagAsync("1.4.0", "first");
        using var client = new RegistryClient(repository, null, new RecordedOutput().Output);

        await client.RetagAsync(promoted, new ImageTag("1.4.0"), CancellationToken.None);

        (await client.ResolveAsync("1.4.0", CancellationToken.None)).ShouldBe(promoted);
    }

    [SkippableFact]
    public async Task A_release_tag_on_another_digest_is_refused_naming_both_and_stays_where_it_was()
    {
        registry.Require(log);
        var repository = registry.NewRepository();
        using var seeder = new RegistrySeeder(repository);
        var promoted = await seeder.TagAsync("9.9.4-rc.2222222", "second");
        var released = await seeder.TagAsync("9.9.4", "first");
        using var client = new RegistryClient(repository, null, new RecordedOutput().Output);

        var failure = await Should.ThrowAsync<BuildFailure>(() => client.TagReleaseAsync(promoted, new ImageTag("9.9.4"), CancellationToken.None));

        failure.ExitCode.ShouldBe(1);
        failure.Message.ShouldStartWith(
            $"Won't tag {repository.Reference(promoted)} as 9.9.4: {repository.Reference(new ImageTag("9.9.4"))} already exists with {released}, and release tags are immutable.");
        (await client.ResolveAsync("9.9.4", CancellationToken.None)).ShouldBe(released);
    }

    [SkippableFact]
    public async Task A_release_tag_already_on_the_digest_is_left_as_it_is()
    {
        registry.Require(log);
        var repository = registry.NewRepository();
        using var seeder = new RegistrySeeder(repository);
        var digest = await seeder.TagAsync("9.9.4-rc.1a2b3c4", "release");
        using var client = new RegistryClient(repository, null, new RecordedOutput().Output);

        var first = await client.TagReleaseAsync(digest, new ImageTag("9.9.4"), CancellationToken.None);
        var again = await client.TagReleaseAsync(digest, new ImageTag("9.9.4"), CancellationToken.None);

        (first, again).ShouldBe((true, false));
        (await client.ResolveAsync("9.9.4", CancellationToken.None)).ShouldBe(digest);
    }

    [SkippableFact]
    public async Task A_digest_the_registry_does_not_hold_is_a_clear_error_and_tags_nothing()
    {
        registry.Require(log);
        var repository = registry.NewRepository();
        using var seeder = new RegistrySeeder(repository);
        await seeder.TagAsync("main-1234567", "present");
        var missing = new ImageDigest("sha256:" + new string('a', 64));
        using var client = new RegistryClient(repository, null, new RecordedOutput().Output, Quick);

        var failure = await Should.ThrowAsync<BuildFailure>(() => client.RetagAsync(missing, new ImageTag("1.4.0"), CancellationToken.None));

        failure.Message.ShouldStartWith($"Tagging {repository.Reference(missing)} as 1.4.0 failed: the registry {repository.Host} has no such manifest (404");
        (await client.ResolveAsync("1.4.0", CancellationToken.None)).ShouldBeNull();
    }

    [SkippableFact]
    public async Task A_registry_with_token_login_retags_through_its_token_service()
    {
        RegistryServer.RequirePrivate(log);
        TokenService? tokens = null;
        await using var registryWithTokens = await RegistryServer.StartPrivateAsync(folder => (tokens = new TokenService(folder)).AuthSection);
        await using var _ = tokens!;
        var repository = registry.NewRepository(registryWithTokens.Address);
        using var seeder = new RegistrySeeder(repository, RegistryLogins.User);
        var digest = await seeder.TagAsync("1.4.0-rc.1a2b3c4", "release");
        using var client = new RegistryClient(repository, RegistryLogins.User, new RecordedOutput().Output);

        await client.RetagAsync(digest, new ImageTag("1.4.0"), CancellationToken.None);

        (await client.ResolveAsync("1.4.0", CancellationToken.None)).ShouldBe(digest);
    }

    [SkippableFact]
    public void The_repository_of_a_pinned_image_is_read_from_its_full_name()
    {
        ImageRepository.FromName("ghcr.io/bun/bun-api").ShouldBe(ImageRepository.Parse("ghcr.io/bun", "bun-api"));
        ImageRepository.FromName("127.0.0.1:5000/t-1/bun-api").ShouldBe(ImageRepository.Parse("127.0.0.1:5000/t-1", "bun-api"));
        Should.Throw<BuildFailure>(() => ImageRepository.FromName("bun-api")).ExitCode.ShouldBe(ExitCodes.BadInput);
    }
}
