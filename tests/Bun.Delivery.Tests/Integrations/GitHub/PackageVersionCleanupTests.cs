using Bun.Delivery.Integrations.GitHub;
using Bun.Delivery.Model.Branches;
using Bun.Delivery.Model.Images;
using Bun.Delivery.Model.Retries;
using Bun.Delivery.Orchestration.Images;
using Bun.Delivery.Tests.Model.Images;
using Bun.Pipeline.Failures;

namespace Bun.Delivery.Tests.Integrations.GitHub;

/// <summary>ghcr.io cleanup through the real Octokit client, against a double of GitHub's packages API on loopback.</summary>
public sealed class PackageVersionCleanupTests
{
    private static readonly Branch Login = Branch.Classify("feature/login");
    private static readonly ImageRepository Ghcr = ImageRepository.Parse("ghcr.io/bun", "bun-api");
    private static readonly RetrySettings Quick = new(1, TimeSpan.FromMilliseconds(10));

    private static readonly string[] OtherBranchesTags =
    [
        "feature-login-extra-1111111", "feature-logins-2222222", "fix-login-3333333", "main-4444444", "1.4.0-rc.5555555", "pr-7-6666666",
    ];

    [Fact]
    public async Task A_merged_branchs_versions_are_deleted_and_other_branches_and_shared_versions_are_kept()
    {
        await using var github = GitHubDouble.Start();
        github.AddVersion("bun", "bun-api", ["feature-login-aaaaaaa"]);
        github.AddVersion("bun", "bun-api", ["feature-login-bbbbbbb", "feature-login-ccccccc"]);
        github.AddVersion("bun", "bun-api", ["feature-login-ddddddd", "main-ddddddd"]);
        github.AddVersion("bun", "bun-api", []);
        foreach (var tag in OtherBranchesTags)
            github.AddVersion("bun", "bun-api", [tag]);
        var recorded = new RecordedOutput();

        var report = await CleanAsync(github, recorded, dryRun: false);

        report.Deleted.Select(tag => tag.Tag).ShouldBe(["feature-login-aaaaaaa", "feature-login-bbbbbbb", "feature-login-ccccccc"]);
        report.KeptShared.Select(tag => tag.Tag).ShouldBe(["feature-login-ddddddd"]);
        github.Versions("bun", "bun-api").Count.ShouldBe(OtherBranchesTags.Length + 2);
        github.Tags("bun", "bun-api").ShouldBe([.. OtherBranchesTags, "feature-login-ddddddd", "main-ddddddd"], ignoreOrder: true);
        github.Deletes.ShouldBe(2);
        recorded.Text.ShouldContain("Keeping feature-login-ddddddd: main-ddddddd points to the same manifest");
        recorded.Text.ShouldContain("Deleted 2 versions with feature-login-* tags of feature/login");
    }

    [Fact]
    public async Task A_second_cleanup_deletes_nothing_and_succeeds()
    {
        await using var github = GitHubDouble.Start();
        github.AddVersion("bun", "bun-api", ["feature-login-aaaaaaa"]);
        github.AddVersion("bun", "bun-api", ["main-1234567"]);
        await CleanAsync(github, new RecordedOutput(), dryRun: false);
        var recorded = new RecordedOutput();

        var second = await CleanAsync(github, recorded, dryRun: false);

        second.Deleted.ShouldBeEmpty();
        github.Deletes.ShouldBe(1);
        recorded.Text.ShouldContain("nothing to delete");
        github.Tags("bun", "bun-api").ShouldBe(["main-1234567"]);
    }

    [Fact]
    public async Task Dry_run_lists_the_versions_it_would_delete_and_deletes_nothing()
    {
        await using var github = GitHubDouble.Start();
        var doomed = github.AddVersion("bun", "bun-api", ["feature-login-aaaaaaa"]);
        github.AddVersion("bun", "bun-api", ["main-1234567"]);
        var recorded = new RecordedOutput();

        var report = await CleanAsync(github, recorded, dryRun: true);

        report.DryRun.ShouldBeTrue();
        report.Deleted.Select(tag => tag.Tag).ShouldBe(["feature-login-aaaaaaa"]);
        recorded.Text.ShouldContain($"Would delete feature-login-aaaaaaa (");
        recorded.Text.ShouldContain($"version {doomed})");
        github.Deletes.ShouldBe(0);
        github.Tags("bun", "bun-api").ShouldBe(["feature-login-aaaaaaa", "main-1234567"], ignoreOrder: true);
    }

    [Fact]
    public async Task A_wrong_token_is_a_clear_error_that_does_not_show_it_and_deletes_nothing()
    {
        await using var github = GitHubDouble.Start();
        github.AddVersion("bun", "bun-api", ["feature-login-aaaaaaa"]);
        const string wrong = "ghp_not-the-token-0123456789";
        var recorded = new RecordedOutput();

        var failure = await Should.ThrowAsync<BuildFailure>(() => MergedBranchCleanup.RunAsync(
            Ghcr, new RegistryCredentials("bun-ci", wrong), Login, dryRun: false, recorded.Output, CancellationToken.None, github.Url.ToString()));

        failure.Message.ShouldContain("listing the versions of the container package bun/bun-api");
        failure.Message.ShouldContain("refused the token (401: Bad credentials)");
        failure.Message.ShouldContain("--registry-password");
        failure.Message.ShouldNotContain(wrong);
        recorded.Output.Secrets.Apply(wrong).ShouldBe("***");
        github.Requests.ShouldAllBe(request => request.Method == "GET" && request.Authorization!.EndsWith($" {wrong}"));
        github.Tags("bun", "bun-api").ShouldBe(["feature-login-aaaaaaa"]);
    }

    [Fact]
    public async Task Ghcr_io_cleanup_without_a_token_is_bad_input_that_names_the_parameter()
    {
        await using var github = GitHubDouble.Start();

        var failure = await Should.ThrowAsync<BuildFailure>(() => MergedBranchCleanup.RunAsync(
            Ghcr, null, Login, dryRun: true, new RecordedOutput().Output, CancellationToken.None, github.Url.ToString()));

        failure.ExitCode.ShouldBe(ExitCodes.BadInput);
        failure.Message.ShouldContain("--registry-password (BUN_REGISTRY_PASSWORD)");
        github.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Versions_on_many_pages_are_all_seen_and_the_branchs_are_all_deleted()
    {
        await using var github = GitHubDouble.Start();
        for (var index = 0; index < 130; index++)
            github.AddVersion("bun", "bun-api", [$"feature-login-{index:x7}"]);
        for (var index = 0; index < 120; index++)
            github.AddVersion("bun", "bun-api", [$"main-{index:x7}"]);

        var report = await CleanAsync(github, new RecordedOutput(), dryRun: false);

        report.Deleted.Count.ShouldBe(130);
        report.OtherTags.ShouldBe(120);
        github.Tags("bun", "bun-api").ShouldAllBe(tag => tag.StartsWith("main-"));
        github.Tags("bun", "bun-api").Count.ShouldBe(120);
        github.Requests.Count(request => request.Method == "GET").ShouldBe(3);  // 250 versions, 100 a page
    }

    [Fact]
    public async Task The_client_follows_the_Link_header_through_every_page()
    {
        await using var github = GitHubDouble.Start();
        var ids = Enumerable.Range(0, 23).Select(index => github.AddVersion("bun", "bun-api", [$"main-{index:x7}"])).ToList();
        var packages = new ContainerPackages(new GitHubConnection(github.Url, github.Token), new RecordedOutput().Output, Quick);

        var listed = await packages.ListVersionsAsync("bun", "bun-api", CancellationToken.None, pageSize: 5);

        listed!.Value.Versions.Select(version => version.Id).ShouldBe(ids, ignoreOrder: true);
        github.Requests.Select(request => request.PathAndQuery).ShouldContain(path => path.Contains("per_page=5") && path.Contains("page=5"));
        github.Requests.Count.ShouldBe(5);
    }

    [Fact]
    public async Task A_users_package_is_found_under_the_user_after_the_organization_path_says_404()
    {
        await using var github = GitHubDouble.Start();
        github.AddVersion("octo", "bun-api", ["feature-login-aaaaaaa"], user: true);
        github.AddVersion("octo", "bun-api", ["main-1234567"], user: true);

        var report = await MergedBranchCleanup.RunAsync(ImageRepository.Parse("ghcr.io/octo", "bun-api"),
            new RegistryCredentials("octo", github.Token), Login, dryRun: false, new RecordedOutput().Output, CancellationToken.None, github.Url.ToString());

        report.Deleted.Select(tag => tag.Tag).ShouldBe(["feature-login-aaaaaaa"]);
        github.Tags("octo", "bun-api", user: true).ShouldBe(["main-1234567"]);
        github.Requests.Where(request => request.Method == "DELETE").ShouldAllBe(request => request.PathAndQuery.Contains("/users/octo/"));
    }

    [Fact]
    public async Task A_package_GitHub_does_not_know_is_nothing_to_delete()
    {
        await using var github = GitHubDouble.Start();
        var recorded = new RecordedOutput();

        var report = await CleanAsync(github, recorded, dryRun: false);

        report.Deleted.ShouldBeEmpty();
        recorded.Text.ShouldContain("GitHub has no container package bun/bun-api");
        github.Requests.Count.ShouldBe(2);  // the organization's path, then the user's
    }

    [Fact]
    public async Task Deleting_a_version_that_is_already_gone_is_not_an_error()
    {
        await using var github = GitHubDouble.Start();
        var id = github.AddVersion("bun", "bun-api", ["main-1234567"]);
        var packages = new ContainerPackages(new GitHubConnection(github.Url, github.Token), new RecordedOutput().Output, Quick);
        var package = new ContainerPackage("bun", "bun-api", PackageOwnerKind.Organization);

        (await packages.DeleteAsync(package, id, CancellationToken.None)).ShouldBeTrue();
        (await packages.DeleteAsync(package, id, CancellationToken.None)).ShouldBeFalse();
        github.Tags("bun", "bun-api").ShouldBeEmpty();
    }

    [Fact]
    public async Task A_GitHub_that_does_not_answer_gives_the_clear_error_after_retrying()
    {
        GitHubDouble stopped;
        await using (stopped = GitHubDouble.Start()) { }
        var recorded = new RecordedOutput();
        var packages = new ContainerPackages(new GitHubConnection(stopped.Url, "ghp_token"), recorded.Output, Quick);

        var failure = await Should.ThrowAsync<BuildFailure>(() => new PackageVersionCleanup(packages).RunAsync(Ghcr, Login, false, recorded.Output, CancellationToken.None));

        failure.Message.ShouldContain("did not answer");
        failure.Message.ShouldContain("still after 2 attempts");
        recorded.Text.ShouldContain("retrying in");
    }

    [Fact]
    public void A_ghcr_io_registry_without_an_owner_is_bad_input()
    {
        var failure = Should.Throw<BuildFailure>(() => PackageVersionCleanup.PackageOf(ImageRepository.Parse("ghcr.io", "bun-api")));

        failure.ExitCode.ShouldBe(ExitCodes.BadInput);
        failure.Message.ShouldContain("--registry ghcr.io/<owner>");
    }

    private static Task<CleanupReport> CleanAsync(GitHubDouble github, RecordedOutput recorded, bool dryRun) => MergedBranchCleanup.RunAsync(
        Ghcr, new RegistryCredentials("bun-ci", github.Token), Login, dryRun, recorded.Output, CancellationToken.None, github.Url.ToString());
}
