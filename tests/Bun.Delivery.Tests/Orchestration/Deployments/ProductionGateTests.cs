using Bun.Delivery.Model.Rules;
using Bun.Delivery.Orchestration.Deployments;
using Bun.Delivery.Tests.Integrations.GitHub;
using Bun.Delivery.Tests.Integrations.GitOps;
using Bun.Delivery.Tests.Model.Images;
using Bun.Pipeline.Failures;

namespace Bun.Delivery.Tests.Orchestration.Deployments;

/// <summary>PromoteProd's gate (DESIGN §9 step 2) against the GitHub double: required checks green, every change reviewed.</summary>
public sealed class ProductionGateTests
{
    private const string Release = "release/1.4.0";
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly GateFallback NoFallback = new([], 1);

    /// <summary>A release cut from main, with one approved fix merged into it and its checks green; the ruleset ConfigureRepository makes.</summary>
    private static (GitHubDouble GitHub, int Fix) ReadyRelease(string? head = null)
    {
        var github = GitHubDouble.Start();
        github.Push("main");
        github.CutBranch(Release);
        github.Push("main");  // main moves on after the cut; none of that is the release's
        var fix = github.MergePullRequest("fix/login", Release, "Fix the login", sha: head);
        github.Review(fix, "alice", "APPROVED");
        github.AddCheckRun(github.Head(Release), "Ci", "success");
        github.AddRuleset("release branches", "refs/heads/release/*", ["Ci"], approvals: 1);
        return (github, fix);
    }

    private static Task CheckAsync(GitHubDouble github, RecordedOutput recorded, GateFallback? fallback = null) =>
        new GitHubProductionGate(GitHubSandbox.Access(github, recorded), fallback ?? NoFallback, recorded.Output)
            .CheckAsync(new Promotion(Environments.Stage, Environments.Prod, "1.4.0", github.Head(Release), Release), None);

    [Fact]
    public async Task A_release_with_green_checks_and_approved_pull_requests_passes()
    {
        var (github, _) = ReadyRelease();
        await using var _ = github;
        var recorded = new RecordedOutput();

        await CheckAsync(github, recorded);

        recorded.Text.ShouldContain("Production gate passed: Ci green on");
        recorded.Text.ShouldContain("(rules: rulesets)");
        github.Writes.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_red_check_is_refused_by_name()
    {
        var (github, _) = ReadyRelease();
        await using var _ = github;
        github.AddCheckRun(github.Head(Release), "Ci", "failure");  // a re-run that failed: the newest run counts

        var failure = await Should.ThrowAsync<BuildFailure>(() => CheckAsync(github, new RecordedOutput()));

        failure.Message.ShouldContain($"PromoteProd refused: {Release} at {github.Head(Release)[..7]} is not ready for prod:");
        failure.Message.ShouldContain($"  - check 'Ci' is failure on {github.Head(Release)[..7]}");
    }

    [Fact]
    public async Task A_required_check_that_never_ran_is_refused_too()
    {
        var (github, _) = ReadyRelease();
        await using var _ = github;
        github.AddRuleset("more checks", "refs/heads/release/**", ["Ci", "Security scan"], approvals: 1);

        var failure = await Should.ThrowAsync<BuildFailure>(() => CheckAsync(github, new RecordedOutput()));

        failure.Message.ShouldContain("check 'Security scan' has not reported on");
        failure.Message.ShouldNotContain("check 'Ci'");
    }

    [Fact]
    public async Task An_unapproved_pull_request_is_refused_by_number()
    {
        var (github, _) = ReadyRelease();
        await using var _ = github;
        var unreviewed = github.MergePullRequest("fix/timeout", Release, "Fix the timeout");
        github.Review(unreviewed, "bob", "COMMENTED");
        github.AddCheckRun(github.Head(Release), "Ci", "success");

        var failure = await Should.ThrowAsync<BuildFailure>(() => CheckAsync(github, new RecordedOutput()));

        failure.Message.ShouldContain($"  - pull request #{unreviewed} (Fix the timeout) has 0 of the 1 approving reviews required");
    }

    [Fact]
    public async Task Changes_requested_are_refused_even_with_an_approval()
    {
        var (github, fix) = ReadyRelease();
        await using var _ = github;
        github.Review(fix, "carol", "CHANGES_REQUESTED");

        var failure = await Should.ThrowAsync<BuildFailure>(() => CheckAsync(github, new RecordedOutput()));

        failure.Message.ShouldContain($"  - pull request #{fix} (Fix the login) has changes requested by @carol");
    }

    [Fact]
    public async Task A_commit_pushed_to_the_release_branch_without_a_pull_request_is_refused()
    {
        var (github, _) = ReadyRelease();
        await using var _ = github;
        var pushed = github.Push(Release);
        github.AddCheckRun(pushed, "Ci", "success");

        var failure = await Should.ThrowAsync<BuildFailure>(() => CheckAsync(github, new RecordedOutput()));

        failure.Message.ShouldContain($"  - commit {pushed[..7]} entered {Release} through no pull request");
    }

    [Fact]
    public async Task A_release_branch_without_rules_or_a_fallback_is_refused_with_what_to_configure()
    {
        await using var github = GitHubDouble.Start();
        github.CutBranch(Release);

        var failure = await Should.ThrowAsync<BuildFailure>(() => CheckAsync(github, new RecordedOutput()));

        failure.Message.ShouldContain($"no rule of {Release} requires a check");
        failure.Message.ShouldContain("Run ConfigureRepository (a ruleset for release/*), or pass --required-checks Ci.");
    }

    [Fact]
    public async Task Without_rules_the_fallback_checks_and_approvals_apply()
    {
        await using var github = GitHubDouble.Start();
        github.CutBranch(Release);
        var fix = github.MergePullRequest("fix/login", Release, "Fix the login");
        github.Review(fix, "alice", "APPROVED");
        github.AddStatus(github.Head(Release), "ci/jenkins", "pending");
        var recorded = new RecordedOutput();

        var failure = await Should.ThrowAsync<BuildFailure>(() => CheckAsync(github, recorded, new GateFallback(["ci/jenkins"], 2)));

        recorded.Text.ShouldContain("the gate requires ci/jenkins (--required-checks)");
        failure.Message.ShouldContain("check 'ci/jenkins' is pending");
        failure.Message.ShouldContain($"pull request #{fix} (Fix the login) has 1 of the 2 approving reviews required");
    }

    [Fact]
    public async Task Classic_branch_protection_adds_its_checks_and_approvals()
    {
        var (github, fix) = ReadyRelease();
        await using var _ = github;
        github.Protect(Release, ["Lint"], approvals: 2);
        github.AddCheckRun(github.Head(Release), "Lint", "success");

        var failure = await Should.ThrowAsync<BuildFailure>(() => CheckAsync(github, new RecordedOutput()));

        failure.Message.ShouldContain($"pull request #{fix} (Fix the login) has 1 of the 2 approving reviews required");
        failure.Message.ShouldNotContain("check '");
    }

    [Fact]
    public async Task Check_runs_are_read_across_pages()
    {
        var (github, _) = ReadyRelease();
        await using var _ = github;
        for (var index = 0; index < 120; index++)
            github.AddCheckRun(github.Head(Release), $"matrix ({index})", "success");
        github.AddCheckRun(github.Head(Release), "Ci", "failure");

        var failure = await Should.ThrowAsync<BuildFailure>(() => CheckAsync(github, new RecordedOutput()));

        failure.Message.ShouldContain("check 'Ci' is failure");
        github.Requests.Count(request => request.Path.EndsWith("/check-runs")).ShouldBe(2);
    }

    [Fact]
    public async Task A_refused_promotion_changes_neither_the_registry_nor_prod()
    {
        var (github, _) = ReadyRelease(head: GitOpsSandbox.SourceCommit(1));
        await using var _ = github;
        github.AddCheckRun(GitOpsSandbox.SourceCommit(1), "Ci", "failure");
        await using var sandbox = await DeploymentSandbox.CreateAsync();
        await sandbox.DeployAsync(Environments.Stage, 1);
        var recorded = new RecordedOutput();
        var gate = new GitHubProductionGate(GitHubSandbox.Access(github, recorded), NoFallback, recorded.Output);
        await using var deployer = await sandbox.OpenAsync(sandbox.Settings with { BeforePromotion = gate.CheckAsync });
        var retagged = false;

        var failure = await Should.ThrowAsync<BuildFailure>(() => deployer.PromoteAsync(new Promotion(Environments.Stage, Environments.Prod, "1.4.0", GitOpsSandbox.SourceCommit(1), Release),
            (_, _, _) => Task.FromResult(retagged = true), None));

        failure.Message.ShouldContain("check 'Ci' is failure");
        retagged.ShouldBeFalse();
        (await sandbox.PinnedAsync(Environments.Prod)).ShouldNotBe(GitOpsSandbox.Image(1).Digest.Value);
    }
}
