using Bun.Delivery.Model.Context;
using Bun.Delivery.Tests.Support;

namespace Bun.Delivery.Tests;

/// <summary>Input the build cannot act on: a one-line error saying what was found and what to do, exit 2, nothing run.</summary>
public sealed class BadInputTests
{
    public static TheoryData<Host> BothHosts() => CiPlanTests.BothHosts();

    [Theory]
    [MemberData(nameof(BothHosts))]
    public async Task An_unknown_environment_is_named_with_the_known_ones(Host host)
    {
        var run = await Hosts.RunAsync(host, Scenario.Push("main"), "Rollback", "--environment", "stag");

        ShouldBeBadInput(run, "Unknown environment 'stag' (--environment); expected local, dev, test, stage or prod. Did you mean stage?");
    }

    [Theory]
    [InlineData("1.5", "--max-error-ratio 1.5 is not a share of requests: give a number from 0 to 1, such as 0.05 for 5%.")]
    [InlineData("prod=-1", "--max-error-ratio -1 is not a share of requests")]
    public async Task A_max_error_ratio_outside_0_to_1_is_refused_before_anything_runs(string ratio, string message)
    {
        var run = await Hosts.OnLaptopAsync(Scenario.Push("main"), ["Rollback", "--environment", "test", "--max-error-ratio", ratio]);

        ShouldBeBadInput(run, message);
    }

    [Theory]
    [MemberData(nameof(BothHosts))]
    public async Task A_malformed_release_branch_names_the_branch_and_the_expected_form(Host host)
    {
        var run = await Hosts.RunAsync(host, Scenario.Push("release/1.4"), "Ci");

        ShouldBeBadInput(run, "Branch 'release/1.4' is not a valid release branch: expected release/MAJOR.MINOR.PATCH, e.g. release/1.4.0.");
    }

    [Theory]
    [MemberData(nameof(BothHosts))]
    public async Task A_pull_request_from_a_malformed_release_branch_is_refused_too(Host host)
    {
        var run = await Hosts.RunAsync(host, Scenario.PullRequest("release/abc"), "Ci");

        ShouldBeBadInput(run, "Branch 'release/abc' is not a valid release branch");
    }

    [Theory]
    [InlineData(new[] { "--merged" }, "--merged describes a closed pull request, but the event is push; add --event pull_request_closed, or drop --merged.")]
    [InlineData(new[] { "--event", "pull_request", "--merged" }, "--merged describes a closed pull request, but the event is pull_request")]
    [InlineData(new[] { "--base", "main" }, "--base describes a pull request, but the event is push; add --event pull_request (or pull_request_closed), or drop --base.")]
    [InlineData(new[] { "--event", "workflow_dispatch", "--head", "feature/x" }, "--head describes a pull request, but the event is workflow_dispatch")]
    [InlineData(new[] { "--pr-number", "7" }, "--pr-number describes a pull request, but the event is push")]
    [InlineData(new[] { "--event", "pull_request", "--pr-number", "0" }, "--pr-number is 0; a pull request's number is 1 or more.")]
    [InlineData(new[] { "--event", "merge_group" }, "Parameter --event (from command line): 'merge_group' is not one of push, pull_request, pull_request_closed, workflow_dispatch.")]
    public async Task Contradictory_options_on_a_laptop_are_refused(string[] options, string message)
    {
        var run = await Hosts.OnLaptopAsync(Scenario.Push("feature/login"), ["Ci", .. options]);

        ShouldBeBadInput(run, message);
    }

    [Fact]
    public async Task Simulating_options_in_GitHub_Actions_are_refused()
    {
        var run = await Hosts.OnGitHubAsync(Scenario.Push("feature/login"), Hosts.FixtureCommit, "Ci", "--event", "pull_request");

        ShouldBeBadInput(run, "--event simulates a context on a laptop; in GitHub Actions the context comes from the runner. Drop --event.");
    }

    [Fact]
    public async Task A_missing_GitHub_payload_file_is_named()
    {
        using var folder = new TempFolder();
        var variables = Hosts.GitHubVariables(Scenario.Push("main"), Hosts.FixtureCommit, folder);
        variables["GITHUB_EVENT_PATH"] = Path.Combine(folder.Path, "missing.json");

        var run = await Hosts.RunAsync(folder.Path, variables, ["Ci"]);

        ShouldBeBadInput(run, $"GitHub's event payload {variables["GITHUB_EVENT_PATH"]} (GITHUB_EVENT_PATH) cannot be read");
    }

    [Theory]
    [InlineData("{ not json", "is not JSON")]
    [InlineData("[1, 2]", "is not a JSON object")]
    public async Task A_GitHub_payload_that_is_not_a_JSON_object_is_refused(string payload, string message)
    {
        using var folder = new TempFolder();
        var variables = Hosts.GitHubVariables(Scenario.PullRequest("feature/login"), Hosts.FixtureCommit, folder);
        File.WriteAllText(variables["GITHUB_EVENT_PATH"], payload);

        var run = await Hosts.RunAsync(folder.Path, variables, ["Ci"]);

        ShouldBeBadInput(run, message);
    }

    [Fact]
    public async Task A_GitHub_event_the_pipeline_does_not_handle_is_refused()
    {
        using var folder = new TempFolder();
        var variables = Hosts.GitHubVariables(Scenario.Push("main"), Hosts.FixtureCommit, folder);
        variables["GITHUB_EVENT_NAME"] = "schedule";

        var run = await Hosts.RunAsync(folder.Path, variables, ["Ci"]);

        ShouldBeBadInput(run, "GitHub event 'schedule' (GITHUB_EVENT_NAME) is not one Bun's pipeline handles");
    }

    [Fact]
    public async Task A_folder_that_is_not_a_git_checkout_is_refused_on_a_laptop()
    {
        using var folder = new TempFolder();

        var run = await Hosts.RunAsync(folder.Path, new Dictionary<string, string>(), ["Ci"]);

        ShouldBeBadInput(run, $"git cannot tell the branch and commit of {folder.Path}");
    }

    [Fact]
    public async Task The_event_option_accepts_GitHub_spelling_and_the_enum_name()
    {
        var snake = await Hosts.OnLaptopAsync(Scenario.Push("feature/login"), "Ci", "--plan", "--json", "--event", "pull_request_closed");
        var pascal = await Hosts.OnLaptopAsync(Scenario.Push("feature/login"), "Ci", "--plan", "--json", "--event", "PullRequestClosed");

        snake.Context.GetProperty("event").GetString().ShouldBe(DeliveryEvent.PullRequestClosed.Name());
        pascal.Context.GetProperty("event").GetString().ShouldBe("pull_request_closed");
    }

    private static void ShouldBeBadInput(BuildRun run, string message)
    {
        run.ExitCode.ShouldBe(2, run.All);
        run.Error.ShouldContain(message);
        run.Error.Trim().Split('\n').Length.ShouldBe(1, run.Error);
        run.StartedATarget.ShouldBeFalse(run.All);
    }
}
