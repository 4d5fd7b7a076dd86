using Bun.Delivery.Model.Rules;
using Bun.Delivery.Integrations.GitHub;
using Bun.Delivery.Orchestration.Deployments;
using Bun.Delivery.Tests.Model.Images;
using Bun.Pipeline.Failures;

namespace Bun.Delivery.Tests.Integrations.GitHub;

/// <summary>The tag and the GitHub release after a verified prod deploy (DESIGN §9 step 4), against the GitHub double.</summary>
public sealed class GitHubReleasesTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static Task<PublishedRelease> PublishAsync(GitHubDouble github, string version, string branch) =>
        new GitHubReleases(GitHubSandbox.Api(github, new RecordedOutput())).PublishAsync(version, github.Head(branch), branch, "main", None);

    [Fact]
    public async Task The_first_release_tags_the_release_head_and_lists_every_merged_pull_request()
    {
        await using var github = GitHubDouble.Start();
        var feature = github.MergePullRequest("feature/login", "main", "Log in with GitHub", author: "alice");
        github.CutBranch("release/1.4.0");
        var fix = github.MergePullRequest("fix/login", "release/1.4.0", "Fix the login", author: "bob");

        var published = await PublishAsync(github, "1.4.0", "release/1.4.0");

        published.ShouldBe(new PublishedRelease("v1.4.0", "https://github.com/bun/bun/releases/tag/v1.4.0", TagCreated: true, ReleaseCreated: true));
        github.Tag("v1.4.0").ShouldBe(github.Head("release/1.4.0"));
        var release = github.Releases().ShouldHaveSingleItem();
        ((string?)release["name"]).ShouldBe("v1.4.0");
        ((string?)release["body"]).ShouldBe(
            $"## What's changed\n\n- Log in with GitHub (#{feature}) by @alice\n- Fix the login (#{fix}) by @bob\n\nThe first release.\n");
    }

    [Fact]
    public async Task A_later_release_lists_only_the_pull_requests_merged_since_the_previous_one()
    {
        await using var github = GitHubDouble.Start();
        github.MergePullRequest("feature/login", "main", "Log in with GitHub");
        github.CutBranch("release/1.4.0");
        await PublishAsync(github, "1.4.0", "release/1.4.0");
        var search = github.MergePullRequest("feature/search", "main", "Search", author: "carol");
        github.CutBranch("release/1.5.0");

        await PublishAsync(github, "1.5.0", "release/1.5.0");

        var body = (string?)github.Releases()[^1]["body"];
        body.ShouldBe($"## What's changed\n\n- Search (#{search}) by @carol\n\n**Full changes**: v1.4.0...v1.5.0\n");
    }

    [Fact]
    public async Task Publishing_again_changes_nothing()
    {
        await using var github = GitHubDouble.Start();
        github.MergePullRequest("feature/login", "main", "Log in with GitHub");
        github.CutBranch("release/1.4.0");
        await PublishAsync(github, "1.4.0", "release/1.4.0");
        var writes = github.Writes.Count();

        var again = await PublishAsync(github, "1.4.0", "release/1.4.0");

        again.ReleaseCreated.ShouldBeFalse();
        again.TagCreated.ShouldBeFalse();
        github.Writes.Count().ShouldBe(writes);
        github.Releases().Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_tag_on_another_commit_is_refused_and_never_moved()
    {
        await using var github = GitHubDouble.Start();
        github.CutBranch("release/1.4.0");
        await PublishAsync(github, "1.4.0", "release/1.4.0");
        var tagged = github.Tag("v1.4.0")!;
        github.MergePullRequest("fix/login", "release/1.4.0", "Fix the login");

        var failure = await Should.ThrowAsync<BuildFailure>(() => PublishAsync(github, "1.4.0", "release/1.4.0"));

        failure.Message.ShouldContain($"The tag v1.4.0 already points at {tagged[..7]}, not at the release HEAD {github.Head("release/1.4.0")[..7]}: release tags never move.");
        github.Tag("v1.4.0").ShouldBe(tagged);
    }

    [Fact]
    public async Task A_failed_release_says_prod_stays_deployed_and_how_to_finish()
    {
        await using var github = GitHubDouble.Start();
        github.CutBranch("release/1.4.0");
        github.Fail("POST", "/releases", GitHubDouble.NotPermitted());
        var recorded = new RecordedOutput();
        var publisher = new GitHubReleasePublisher(GitHubSandbox.Access(github, recorded), recorded.Output);

        var failure = await Should.ThrowAsync<BuildFailure>(() => publisher.PublishAsync(new Promotion(Environments.Stage, Environments.Prod, "1.4.0", github.Head("release/1.4.0"), "release/1.4.0"), None));

        failure.ExitCode.ShouldBe(1);
        failure.Message.ShouldStartWith("prod runs 1.4.0, verified; only its release on GitHub is missing: creating the release v1.4.0: GitHub");
        failure.Message.ShouldContain("contents: write");
        failure.Message.ShouldContain("Running PromoteProd again finishes it");
    }
}
