using Bun.Delivery.Integrations.GitHub;
using Bun.Delivery.Tests.Model.Images;
using Bun.Pipeline.Failures;
using Octokit;

namespace Bun.Delivery.Tests.Integrations.GitHub;

/// <summary>The client every GitHub use case shares: Octokit against the double, its headers, its rate-limit policy and its errors.</summary>
public sealed class GitHubApiTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static Task<IReadOnlyList<Release>> ListReleasesAsync(GitHubApi api) =>
        api.CallAsync("listing releases", "contents: read", () => api.Client.Repository.Release.GetAll(api.Owner, api.Name), None);

    [Fact]
    public async Task Every_request_carries_the_token_and_the_pinned_api_version()
    {
        await using var github = GitHubDouble.Start();
        var api = GitHubSandbox.Api(github, new RecordedOutput());

        await ListReleasesAsync(api);

        var request = github.Requests.ShouldHaveSingleItem();
        request.Authorization.ShouldBe($"Token {github.Token}", StringCompareShould.IgnoreCase);
        request.ApiVersion.ShouldBe(GitHubDouble.ApiVersion);
        request.Path.ShouldBe("/repos/bun/bun/releases");
    }

    [Fact]
    public async Task A_used_up_rate_limit_is_waited_out_until_its_reset_then_the_call_succeeds()
    {
        await using var github = GitHubDouble.Start();
        github.Fail("GET", "/releases", GitHubDouble.RateLimited(DateTimeOffset.UtcNow));
        var recorded = new RecordedOutput();

        var releases = await ListReleasesAsync(GitHubSandbox.Api(github, recorded));

        releases.ShouldBeEmpty();
        github.Requests.Count.ShouldBe(2);
        recorded.Text.ShouldContain("GitHub's rate limit is reached");
    }

    [Fact]
    public async Task A_secondary_rate_limit_waits_for_retry_after()
    {
        await using var github = GitHubDouble.Start();
        github.Fail("GET", "/releases", GitHubDouble.SecondaryRateLimited(retryAfterSeconds: 0));
        var recorded = new RecordedOutput();

        await ListReleasesAsync(GitHubSandbox.Api(github, recorded));

        github.Requests.Count.ShouldBe(2);
        recorded.Text.ShouldContain("waiting 0 s, as GitHub asks");
    }

    [Fact]
    public async Task A_rate_limit_that_resets_too_late_is_a_clear_error_without_waiting()
    {
        await using var github = GitHubDouble.Start();
        github.Fail("GET", "/releases", GitHubDouble.RateLimited(DateTimeOffset.UtcNow.AddHours(1)));

        var failure = await Should.ThrowAsync<BuildFailure>(() => ListReleasesAsync(GitHubSandbox.Api(github, new RecordedOutput())));

        failure.Message.ShouldStartWith("listing releases: GitHub's rate limit for this token is used up for another 60 min");
        failure.Message.ShouldContain("Run again after that");
        github.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_token_without_the_permission_is_told_which_permission_to_add()
    {
        await using var github = GitHubDouble.Start();
        github.Fail("GET", "/releases", GitHubDouble.NotPermitted());

        var failure = await Should.ThrowAsync<BuildFailure>(() => ListReleasesAsync(GitHubSandbox.Api(github, new RecordedOutput())));

        failure.Message.ShouldBe(
            $"listing releases: GitHub ({github.Url}) answered 403 (Resource not accessible by integration): the token may not do this. " +
            "Give it contents: read on bun/bun (a workflow's GITHUB_TOKEN: permissions: contents: read), then run again.");
    }

    [Fact]
    public async Task A_wrong_token_is_refused_and_never_printed()
    {
        await using var github = GitHubDouble.Start();
        var recorded = new RecordedOutput();
        var api = new GitHubApi(new GitHubConnection(github.Url, "ghp_wrong"), new GitHubRepository("bun", "bun"), recorded.Output, GitHubSandbox.Quick);

        var failure = await Should.ThrowAsync<BuildFailure>(() => ListReleasesAsync(api));

        failure.Message.ShouldContain("refused the token (401: Bad credentials)");
        failure.Message.ShouldContain("--github-token (GITHUB_TOKEN)");
        failure.Message.ShouldNotContain("ghp_wrong");
    }

    [Fact]
    public async Task A_validation_error_names_the_field_GitHub_refused()
    {
        await using var github = GitHubDouble.Start();
        var api = GitHubSandbox.Api(github, new RecordedOutput());

        var failure = await Should.ThrowAsync<BuildFailure>(() => api.CallAsync("creating a release", "contents: write",
            () => api.Rest.Post<Release>(api.RepoPath("releases"), "{\"name\":\"no tag\"}", "application/vnd.github+json", "application/json"), None));

        failure.Message.ShouldBe($"creating a release: GitHub ({github.Url}) refused the request as invalid (422: Validation Failed: Release.tag_name missing_field).");
    }

    [Fact]
    public async Task A_missing_resource_is_null_with_FindAsync()
    {
        await using var github = GitHubDouble.Start();
        var api = GitHubSandbox.Api(github, new RecordedOutput());

        var release = await api.FindAsync("reading release v9.9.9", "contents: read", () => api.Client.Repository.Release.Get(api.Owner, api.Name, "v9.9.9"), None);

        release.ShouldBeNull();
    }

    [Theory]
    [InlineData("https://github.com/bun/bun.git")]
    [InlineData("https://x-access-token:secret@github.com/bun/bun")]
    [InlineData("git@github.com:bun/bun.git")]
    [InlineData("ssh://git@github.example.com:2222/bun/bun")]
    public void A_remote_names_its_repository(string remote) =>
        GitHubRepository.FromRemoteUrl(remote).ShouldBe(new GitHubRepository("bun", "bun"));

    [Theory]
    [InlineData("/srv/git/bun.git")]
    [InlineData("https://github.com/bun")]
    public void A_remote_that_names_no_repository_is_null(string remote) =>
        GitHubRepository.FromRemoteUrl(remote).ShouldBeNull();

    [Fact]
    public void A_repository_that_is_not_owner_slash_name_is_bad_input()
    {
        var failure = Should.Throw<BuildFailure>(() => GitHubRepository.Parse("bun", "--github-repository"));

        failure.ExitCode.ShouldBe(2);
        failure.Message.ShouldContain("not owner/name");
    }
}
