using Bun.Delivery.Model.Branches;
using Bun.Delivery.Model.Context;
using Bun.Delivery.Tests.Support;
using Bun.Pipeline.Failures;

namespace Bun.Delivery.Tests.Model.Context;

/// <summary>The context from a runner's variables and payload, fed as fixtures shaped like GitHub's.</summary>
public sealed class GitHubActionsContextTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public void A_push_reads_the_branch_from_the_full_ref_and_the_commit_from_GITHUB_SHA()
    {
        var context = Read(Scenario.Push("release/1.4.0"));

        context.ShouldBe(new DeliveryContext(DeliveryHost.GitHubActions, new Branch("release/1.4.0", BranchKind.Release, "1.4.0"), DeliveryEvent.Push, Hosts.FixtureCommit));
    }

    [Fact]
    public void A_pull_request_takes_its_branch_from_GITHUB_HEAD_REF_not_the_merge_ref()
    {
        var context = Read(Scenario.PullRequest("feature/login", "main"));

        context.Event.ShouldBe(DeliveryEvent.PullRequest);
        context.Branch.Name.ShouldBe("feature/login");
        context.BaseBranch.ShouldBe("main");
        context.HeadBranch.ShouldBe("feature/login");
        context.PullRequestNumber.ShouldBe(12);
        context.Merged.ShouldBeNull();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_closed_pull_request_is_its_own_event_with_the_merged_flag_from_the_payload(bool merged)
    {
        var context = Read(Scenario.Closed("fix/crash", merged, "release/1.4.0"));

        context.Event.ShouldBe(DeliveryEvent.PullRequestClosed);
        context.Merged.ShouldBe(merged);
        context.HeadBranch.ShouldBe("fix/crash");
        context.BaseBranch.ShouldBe("release/1.4.0");
    }

    [Fact]
    public void Without_GITHUB_HEAD_REF_the_branches_come_from_the_payload()
    {
        var variables = Variables(Scenario.PullRequest("feature/login", "release/1.4.0"));
        variables.Remove("GITHUB_HEAD_REF");
        variables.Remove("GITHUB_BASE_REF");

        var context = GitHubActionsContext.FromPayload(variables, File.ReadAllText(variables["GITHUB_EVENT_PATH"]));

        context.Branch.Name.ShouldBe("feature/login");
        context.BaseBranch.ShouldBe("release/1.4.0");
    }

    [Fact]
    public void A_workflow_dispatch_runs_on_the_chosen_branch()
    {
        var context = Read(Scenario.Dispatch("release/1.4.0"));

        context.Event.ShouldBe(DeliveryEvent.WorkflowDispatch);
        context.Kind.ShouldBe(BranchKind.Release);
    }

    [Fact]
    public void A_tag_push_keeps_the_tag_ref_as_its_name_and_is_kind_other()
    {
        var context = Read(Scenario.Push("refs/tags/v1.4.0"));

        context.Branch.ShouldBe(new Branch("refs/tags/v1.4.0", BranchKind.Other));
    }

    [Theory]
    [InlineData("GITHUB_SHA")]
    [InlineData("GITHUB_EVENT_NAME")]
    [InlineData("GITHUB_REF")]
    public void A_missing_runner_variable_is_bad_input_naming_it(string name)
    {
        var variables = Variables(Scenario.Push("main"));
        variables[name] = "";

        var failure = Should.Throw<BuildFailure>(() => GitHubActionsContext.FromPayload(variables, "{}"));

        failure.ExitCode.ShouldBe(ExitCodes.BadInput);
        failure.Message.ShouldStartWith($"{name} is not set");
    }

    [Fact]
    public void A_pull_request_payload_without_a_pull_request_object_is_bad_input()
    {
        var failure = Should.Throw<BuildFailure>(() => GitHubActionsContext.FromPayload(Variables(Scenario.PullRequest("feature/login")), """{ "action": "opened" }"""));

        failure.ExitCode.ShouldBe(ExitCodes.BadInput);
        failure.Message.ShouldContain("no pull_request object");
    }

    [Fact]
    public async Task A_missing_payload_file_is_bad_input()
    {
        var variables = Variables(Scenario.Push("main"));
        variables["GITHUB_EVENT_PATH"] = Path.Combine(_folder.Path, "gone.json");

        var failure = await Should.ThrowAsync<BuildFailure>(() => GitHubActionsContext.ReadAsync(variables, CancellationToken.None));

        failure.ExitCode.ShouldBe(ExitCodes.BadInput);
        failure.Message.ShouldContain("gone.json (GITHUB_EVENT_PATH) cannot be read");
    }

    public void Dispose() => _folder.Dispose();

    private DeliveryContext Read(Scenario scenario)
    {
        var variables = Variables(scenario);
        return GitHubActionsContext.FromPayload(variables, File.ReadAllText(variables["GITHUB_EVENT_PATH"]));
    }

    private Dictionary<string, string> Variables(Scenario scenario) => Hosts.GitHubVariables(scenario, Hosts.FixtureCommit, _folder);
}
