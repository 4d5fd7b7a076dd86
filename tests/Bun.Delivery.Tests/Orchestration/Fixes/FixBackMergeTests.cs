using Bun.Delivery.Model.Branches;
using Bun.Delivery.Model.Context;
using Bun.Delivery.Orchestration.Fixes;
using Bun.Delivery.Tests.Integrations.GitHub;
using Bun.Delivery.Tests.Model.Images;

namespace Bun.Delivery.Tests.Orchestration.Fixes;

/// <summary>BackMergeFix against the GitHub double: a merged fix into a release branch is carried to main by one pull request.</summary>
public sealed class FixBackMergeTests
{
    private const string Release = "release/1.4.0";
    private static readonly CancellationToken None = CancellationToken.None;

    private static DeliveryContext Merged(int number, string head = "fix/login", string @base = Release) =>
        new(DeliveryHost.GitHubActions, Branch.Classify(head), DeliveryEvent.PullRequestClosed, new string('a', 40))
        {
            BaseBranch = @base, Merged = true, PullRequestNumber = number,
        };

    private static Task RunAsync(GitHubDouble github, RecordedOutput recorded, DeliveryContext context) =>
        FixBackMerge.RunAsync(GitHubSandbox.Access(github, recorded), context, recorded.Output, None);

    [Fact]
    public async Task A_merged_fix_opens_one_pull_request_into_main_and_running_again_leaves_one()
    {
        await using var github = GitHubDouble.Start();
        github.CutBranch(Release);
        var fix = github.MergePullRequest("fix/login", Release, "Fix the login");
        var recorded = new RecordedOutput();

        await RunAsync(github, recorded, Merged(fix));
        await RunAsync(github, recorded, Merged(fix));

        var (number, state, title) = github.PullRequests(Release, "main").ShouldHaveSingleItem();
        state.ShouldBe("open");
        title.ShouldBe($"Back-merge {Release} into main");
        recorded.Text.ShouldContain($"Back-merge #{number} of {Release} into main opened for #{fix}");
        recorded.Text.ShouldContain($"Back-merge #{number} of {Release} into main lists it already for #{fix}");
    }

    [Fact]
    public async Task A_second_fix_updates_the_open_back_merge_instead_of_opening_another()
    {
        await using var github = GitHubDouble.Start();
        github.CutBranch(Release);
        var first = github.MergePullRequest("fix/login", Release, "Fix the login");
        await RunAsync(github, new RecordedOutput(), Merged(first));
        var second = github.MergePullRequest("fix/timeout", Release, "Fix the timeout");

        await RunAsync(github, new RecordedOutput(), Merged(second, head: "fix/timeout"));

        github.PullRequests(Release, "main").ShouldHaveSingleItem();
        var body = github.Requests.Last(request => request.Method == "PATCH").Body!["body"]!.GetValue<string>();
        body.ShouldEndWith($"- #{first} Fix the login\n- #{second} Fix the timeout");
    }

    [Fact]
    public async Task Nothing_is_opened_when_main_has_everything_already()
    {
        await using var github = GitHubDouble.Start();
        github.CutBranch(Release);
        var fix = github.MergePullRequest("fix/login", Release, "Fix the login");
        github.CutBranch("main", from: Release);  // main got the fix another way
        var recorded = new RecordedOutput();

        await RunAsync(github, recorded, Merged(fix));

        github.Writes.ShouldBeEmpty();
        recorded.Text.ShouldContain($"main already has everything release/1.4.0 has: no back-merge needed for #{fix}.");
    }

    [Theory]
    [InlineData("feature/login", Release)]
    [InlineData("fix/login", "main")]
    public async Task Other_merged_pull_requests_have_nothing_to_carry(string head, string @base)
    {
        await using var github = GitHubDouble.Start();
        var recorded = new RecordedOutput();

        await RunAsync(github, recorded, Merged(3, head, @base));

        github.Requests.ShouldBeEmpty();
        recorded.Text.ShouldContain("Nothing to carry to main");
    }
}
