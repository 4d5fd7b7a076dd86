using Bun.Delivery.Integrations.Registry;
using Bun.Delivery.Model.Branches;
using Bun.Delivery.Model.Images;
using Bun.Delivery.Model.Retries;
using Bun.Delivery.Orchestration.Images;
using Bun.Delivery.Tests.Integrations.Docker;
using Bun.Delivery.Tests.Model.Images;
using Bun.Pipeline.Failures;
using Xunit.Abstractions;

namespace Bun.Delivery.Tests.Integrations.Registry;

[Collection(ContainerImagesCollection.Name)]
public sealed class FeatureImageCleanupTests(RegistryServer registry, ITestOutputHelper log)
{
    private static readonly Branch Login = Branch.Classify("feature/login");
    private static readonly RetrySettings Quick = new(2, TimeSpan.FromMilliseconds(50));

    private static readonly string[] OtherBranchesTags =
    [
        "feature-login-extra-1111111", "feature-logins-2222222", "fix-login-3333333", "main-4444444", "1.4.0-rc.5555555", "pr-7-6666666",
    ];

    [SkippableFact]
    public async Task Cleanup_deletes_every_tag_of_the_branch_and_leaves_other_branches_tags()
    {
        registry.Require(log);
        var repository = await SeedAsync(
            [("feature-login-aaaaaaa", "a"), ("feature-login-bbbbbbb", "b"), ("feature-login-ccccccc", "c"), .. OtherBranchesTags.Select(tag => (tag, tag))]);
        var recorded = new RecordedOutput();

        var report = await MergedBranchCleanup.RunAsync(repository, null, Login, dryRun: false, recorded.Output, CancellationToken.None);

        report.Deleted.Select(tag => tag.Tag).ShouldBe(["feature-login-aaaaaaa", "feature-login-bbbbbbb", "feature-login-ccccccc"]);
        report.OtherTags.ShouldBe(OtherBranchesTags.Length);
        (await TagsAsync(repository)).ShouldBe(OtherBranchesTags, ignoreOrder: true);
        recorded.Text.ShouldContain("Deleted 3 feature-login-* tags of feature/login");
    }

    [SkippableFact]
    public async Task A_manifest_that_a_kept_tag_points_to_is_never_deleted()
    {
        registry.Require(log);
        var repository = await SeedAsync([("feature-login-aaaaaaa", "shared"), ("main-aaaaaaa", "shared"), ("feature-login-bbbbbbb", "own")]);
        var recorded = new RecordedOutput();

        var report = await MergedBranchCleanup.RunAsync(repository, null, Login, dryRun: false, recorded.Output, CancellationToken.None);

        report.Deleted.Select(tag => tag.Tag).ShouldBe(["feature-login-bbbbbbb"]);
        report.KeptShared.Select(tag => tag.Tag).ShouldBe(["feature-login-aaaaaaa"]);
        (await TagsAsync(repository)).ShouldBe(["feature-login-aaaaaaa", "main-aaaaaaa"], ignoreOrder: true);
        recorded.Text.ShouldContain("Keeping feature-login-aaaaaaa: main-aaaaaaa points to the same manifest");
    }

    [SkippableFact]
    public async Task A_second_cleanup_deletes_nothing_and_succeeds()
    {
        registry.Require(log);
        var repository = await SeedAsync([("feature-login-aaaaaaa", "a"), ("feature-login-bbbbbbb", "a"), ("main-1234567", "main")]);
        await MergedBranchCleanup.RunAsync(repository, null, Login, dryRun: false, new RecordedOutput().Output, CancellationToken.None);
        var recorded = new RecordedOutput();

        var second = await MergedBranchCleanup.RunAsync(repository, null, Login, dryRun: false, recorded.Output, CancellationToken.None);

        second.Deleted.ShouldBeEmpty();
        recorded.Text.ShouldContain("nothing to delete");
        (await TagsAsync(repository)).ShouldBe(["main-1234567"]);
    }

    [SkippableFact]
    public async Task Dry_run_lists_what_it_would_delete_and_deletes_nothing()
    {
        registry.Require(log);
        var repository = await SeedAsync([("feature-login-aaaaaaa", "a"), ("main-1234567", "main")]);
        var recorded = new RecordedOutput();

        var report = await MergedBranchCleanup.RunAsync(repository, null, Login, dryRun: true, recorded.Output, CancellationToken.None);

        report.DryRun.ShouldBeTrue();
        report.Deleted.Select(tag => tag.Tag).ShouldBe(["feature-login-aaaaaaa"]);
        recorded.Text.ShouldContain("Would delete feature-login-aaaaaaa");
        (await TagsAsync(repository)).ShouldBe(["feature-login-aaaaaaa", "main-1234567"], ignoreOrder: true);
    }

    [SkippableFact]
    public async Task Tags_are_listed_across_every_page()
    {
        registry.Require(log);
        var tags = Enumerable.Range(0, 11).Select(index => $"main-{index:x7}").ToList();
        var repository = await SeedAsync(tags.Select(tag => (tag, tag)).ToArray());
        using var client = new RegistryClient(repository, null, new RecordedOutput().Output);

        (await client.ListTagsAsync(CancellationToken.None, pageSize: 3)).ShouldBe(tags, ignoreOrder: true);
    }

    [SkippableFact]
    public async Task A_registry_stopped_mid_run_gives_the_clear_error()
    {
        RegistryServer.RequirePrivate(log);
        await using var doomed = await RegistryServer.StartPrivateAsync();
        var repository = await SeedAsync([("feature-login-aaaaaaa", "a"), ("main-1234567", "main")], doomed.Address);
        var recorded = new RecordedOutput();
        // The registry dies right after answering the tag list: every later call finds nobody there.
        using var client = new RegistryClient(repository, null, recorded.Output, Quick, new StopAfterFirstAnswer(doomed));

        var failure = await Should.ThrowAsync<BuildFailure>(() => new FeatureImageCleanup(client).RunAsync(Login, false, recorded.Output, CancellationToken.None));

        failure.Message.ShouldContain($"resolving {repository}:");
        failure.Message.ShouldContain("did not answer");
        failure.Message.ShouldContain("still after 3 attempts");
        failure.Message.ShouldContain("safe to repeat");
        recorded.Text.ShouldContain("retrying in");
    }

    [SkippableFact]
    public async Task A_registry_with_basic_login_is_cleaned_with_credentials_and_says_which_are_missing_without()
    {
        RegistryServer.RequirePrivate(log);
        await using var locked = await RegistryServer.StartPrivateAsync(RegistryLogins.Basic);
        var repository = await SeedAsync([("feature-login-aaaaaaa", "a")], locked.Address, RegistryLogins.User);

        var failure = await Should.ThrowAsync<BuildFailure>(() =>
            MergedBranchCleanup.RunAsync(repository, null, Login, dryRun: true, new RecordedOutput().Output, CancellationToken.None));
        failure.Message.ShouldContain("It needs credentials: set --registry-username and --registry-password");

        var report = await MergedBranchCleanup.RunAsync(repository, RegistryLogins.User, Login, dryRun: false, new RecordedOutput().Output, CancellationToken.None);
        report.Deleted.Count.ShouldBe(1);
    }

    [SkippableFact]
    public async Task A_registry_with_token_login_is_cleaned_through_its_token_service()
    {
        RegistryServer.RequirePrivate(log);
        TokenService? tokens = null;
        await using var registryWithTokens = await RegistryServer.StartPrivateAsync(folder => (tokens = new TokenService(folder)).AuthSection);
        await using var _ = tokens!;
        var repository = await SeedAsync([("feature-login-aaaaaaa", "a"), ("feature-login-bbbbbbb", "b"), ("main-1234567", "main")],
            registryWithTokens.Address, RegistryLogins.User);

        var refused = await Should.ThrowAsync<BuildFailure>(() => MergedBranchCleanup.RunAsync(
            repository, RegistryLogins.User with { Password = "wrong" }, Login, dryRun: true, new RecordedOutput().Output, CancellationToken.None));
        refused.Message.ShouldContain("refused with 401");
        refused.Message.ShouldNotContain("wrong");

        var report = await MergedBranchCleanup.RunAsync(repository, RegistryLogins.User, Login, dryRun: false, new RecordedOutput().Output, CancellationToken.None);
        report.Deleted.Select(tag => tag.Tag).ShouldBe(["feature-login-aaaaaaa", "feature-login-bbbbbbb"]);
        (await TagsAsync(repository, RegistryLogins.User)).ShouldBe(["main-1234567"]);
        tokens!.TokensIssued.ShouldBeGreaterThan(0);
    }

    [SkippableFact]
    public async Task Only_feature_and_fix_branches_are_cleaned_up()
    {
        registry.Require(log);
        var repository = await SeedAsync([("main-1234567", "main")]);

        var failure = await Should.ThrowAsync<BuildFailure>(() => MergedBranchCleanup.RunAsync(
            repository, null, Branch.Classify("main"), dryRun: false, new RecordedOutput().Output, CancellationToken.None));

        failure.ExitCode.ShouldBe(ExitCodes.BadInput);
        (await TagsAsync(repository)).ShouldBe(["main-1234567"]);
    }

    private async Task<ImageRepository> SeedAsync((string Tag, string Image)[] tags, string? address = null, RegistryCredentials? login = null)
    {
        var repository = registry.NewRepository(address);
        using var seeder = new RegistrySeeder(repository, login);
        await seeder.TagManyAsync(tags);
        return repository;
    }

    private static async Task<IReadOnlyList<string>> TagsAsync(ImageRepository repository, RegistryCredentials? login = null)
    {
        using var client = new RegistryClient(repository, login, new RecordedOutput().Output);
        return await client.ListTagsAsync(CancellationToken.None);
    }

    /// <summary>Lets one request through, then stops the real registry before any other reaches it.</summary>
    private sealed class StopAfterFirstAnswer(RegistryProcess registry) : DelegatingHandler(new SocketsHttpHandler())
    {
        private int _answered;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _answered) > 1)
                await registry.StopAsync();
            return await base.SendAsync(request, cancellationToken);
        }
    }
}
