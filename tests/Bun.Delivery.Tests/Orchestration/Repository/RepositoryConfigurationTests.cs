using Bun.Delivery.Model.Rules;
using Bun.Delivery.Orchestration.Repository;
using Bun.Delivery.Tests.Integrations.GitHub;
using Bun.Delivery.Tests.Model.Images;
using Bun.Pipeline.Failures;

namespace Bun.Delivery.Tests.Orchestration.Repository;

/// <summary>ConfigureRepository against the GitHub double: rulesets for main and release/*, the environments of the table, idempotent.</summary>
public sealed class RepositoryConfigurationTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly RepositoryRules Rules = new(["Ci"], MainReview.Recommended, ["alice"]);

    private static Task<int> ConfigureAsync(GitHubDouble github, RecordedOutput recorded, bool dryRun = false, RepositoryRules? rules = null) =>
        RepositoryConfiguration.ApplyAsync(GitHubSandbox.Access(github, recorded), rules ?? Rules, Environments.Table.Deployed, dryRun, recorded.Output, None);

    private static GitHubDouble WithReviewer()
    {
        var github = GitHubDouble.Start();
        github.AddUser("alice");
        return github;
    }

    [Fact]
    public async Task The_rules_and_the_environments_are_applied_and_a_second_run_changes_nothing()
    {
        await using var github = WithReviewer();
        var first = await ConfigureAsync(github, new RecordedOutput());
        var writes = github.Writes.Count();
        var recorded = new RecordedOutput();

        var second = await ConfigureAsync(github, recorded);

        first.ShouldBe(2 + Environments.Table.Deployed.Count);
        second.ShouldBe(0);
        github.Writes.Count().ShouldBe(writes);
        recorded.Text.ShouldContain("bun/bun is configured as the rules say: nothing to change.");
        var release = github.Rulesets().Single(ruleset => (string?)ruleset["name"] == "release branches");
        ((string?)release["conditions"]!["ref_name"]!["include"]![0]).ShouldBe("refs/heads/release/*");
        ((int?)release["rules"]![0]!["parameters"]!["required_approving_review_count"]).ShouldBe(1);
        var main = github.Rulesets().Single(ruleset => (string?)ruleset["name"] == "main");
        ((int?)main["rules"]![0]!["parameters"]!["required_approving_review_count"]).ShouldBe(0);
        ((string?)main["rules"]![1]!["parameters"]!["required_status_checks"]![0]!["context"]).ShouldBe("Ci");
        foreach (var environment in Environments.Table.Deployed)
            github.Environment(environment.Name).ShouldNotBeNull();
        ((string?)github.Environment("prod")!["protection_rules"]![0]!["reviewers"]![0]!["reviewer"]!["login"]).ShouldBe("alice");
        github.BranchPolicies("prod").ShouldBe(["release/*"]);
        github.BranchPolicies("stage").ShouldBeEmpty();
    }

    [Fact]
    public async Task Dry_run_prints_what_would_change_and_writes_nothing()
    {
        await using var github = WithReviewer();
        github.AddRuleset("release branches", "refs/heads/release/*", ["Ci"], approvals: 0);
        var recorded = new RecordedOutput();

        var changes = await ConfigureAsync(github, recorded, dryRun: true);

        changes.ShouldBe(1 + 1 + Environments.Table.Deployed.Count);
        github.Writes.ShouldBeEmpty();
        recorded.Text.ShouldContain("  + ruleset 'main' would be created: branches refs/heads/main; checks Ci; a pull request with 0 approving reviews; active");
        recorded.Text.ShouldContain(
            "  ~ ruleset 'release branches': was branches refs/heads/release/*; checks Ci; a pull request with 0 approving reviews; active; " +
            "would be branches refs/heads/release/*; checks Ci; a pull request with 1 approving review; active");
        recorded.Text.ShouldContain("  + environment prod would be created: reviewers alice; deployments from release/*");
        recorded.Text.ShouldContain("Dry run: 6 settings of bun/bun would change; nothing was written.");
    }

    [Fact]
    public async Task A_required_review_on_main_is_configurable()
    {
        await using var github = WithReviewer();

        await ConfigureAsync(github, new RecordedOutput(), rules: Rules with { MainReview = MainReview.Required });

        var main = github.Rulesets().Single(ruleset => (string?)ruleset["name"] == "main");
        ((int?)main["rules"]![0]!["parameters"]!["required_approving_review_count"]).ShouldBe(1);
    }

    [Fact]
    public async Task A_plan_without_rulesets_is_a_clear_error_that_says_what_to_change()
    {
        await using var github = WithReviewer();
        github.RulesetsOffered = false;

        var failure = await Should.ThrowAsync<BuildFailure>(() => ConfigureAsync(github, new RecordedOutput()));

        failure.Message.ShouldContain("GitHub does not offer rulesets for bun/bun on its plan (Upgrade to GitHub Pro or make this repository public to enable this feature.)");
        failure.Message.ShouldContain("Make the repository public, or move it to GitHub Pro, Team or Enterprise");
        github.Writes.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_token_without_administration_is_told_what_it_needs()
    {
        await using var github = WithReviewer();
        github.Fail("GET", "/rulesets", GitHubDouble.NotPermitted());

        var failure = await Should.ThrowAsync<BuildFailure>(() => ConfigureAsync(github, new RecordedOutput()));

        failure.Message.ShouldContain("answered 403 (Resource not accessible by integration)");
        failure.Message.ShouldContain("administration: write");
    }

    [Fact]
    public async Task Prod_without_reviewers_is_bad_input_before_GitHub_is_asked()
    {
        await using var github = WithReviewer();

        var failure = await Should.ThrowAsync<BuildFailure>(() => ConfigureAsync(github, new RecordedOutput(), rules: Rules with { Reviewers = [] }));

        failure.ExitCode.ShouldBe(2);
        failure.Message.ShouldContain("prod needs required reviewers: give their GitHub logins with --prod-reviewers");
        github.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_reviewer_GitHub_does_not_know_is_bad_input_and_nothing_is_written()
    {
        await using var github = GitHubDouble.Start();

        var failure = await Should.ThrowAsync<BuildFailure>(() => ConfigureAsync(github, new RecordedOutput()));

        failure.ExitCode.ShouldBe(2);
        failure.Message.ShouldContain("The reviewer 'alice' is not a GitHub user");
        github.Rulesets().ShouldBeEmpty();
        github.Environment("prod").ShouldBeNull();
    }
}
