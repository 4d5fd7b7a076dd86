using System.Text.Json.Nodes;
using Bun.Delivery.Tests.Support;

namespace Bun.Delivery.Tests;

/// <summary>The delivery model's table of what <c>Ci</c> runs (docs/delivery.md), row by row, on both hosts.</summary>
public sealed class CiPlanTests
{
    private static readonly string[] Checks = ["Compile", "Test"];
    private static readonly string[] PullRequestImage = [.. Checks, "DockerImage"];
    private static readonly string[] PushedImage = [.. PullRequestImage, "PushImage"];

    private static readonly (Scenario Context, string[] Runs)[] Rows =
    [
        (Scenario.PullRequest("feature/login"), PullRequestImage),
        (Scenario.PullRequest("fix/crash", "release/1.4.0"), PullRequestImage),
        (Scenario.PullRequest("release/1.4.0"), PullRequestImage),
        (Scenario.PullRequest("spike/idea"), PullRequestImage),
        (Scenario.Push("feature/login"), PushedImage),
        (Scenario.Push("feature/team/search"), PushedImage),
        (Scenario.Push("fix/crash"), PushedImage),
        (Scenario.Push("main"), [.. PushedImage, "DeployDev", "DeployTest"]),
        (Scenario.Push("release/1.4.0"), [.. PushedImage, "DeployStage"]),
        (Scenario.Closed("feature/login", merged: true), ["CleanupFeatureImages"]),
        (Scenario.Closed("fix/crash", merged: true, "release/1.4.0"), ["BackMergeFix", "CleanupFeatureImages"]),
        (Scenario.Closed("fix/crash", merged: true), ["CleanupFeatureImages"]),
        (Scenario.Closed("feature/login", merged: false), []),
        (Scenario.Closed("release/1.4.0", merged: true), []),
        (Scenario.Push("spike/idea"), Checks),
        (Scenario.Push("master"), Checks),
        (Scenario.Dispatch("main"), Checks),
    ];

    public static TheoryData<Host, Scenario, string[]> TableOnBothHosts()
    {
        var data = new TheoryData<Host, Scenario, string[]>();
        foreach (var host in Hosts.Both)
        foreach (var (context, runs) in Rows)
            data.Add(host, context, runs);
        return data;
    }

    public static TheoryData<Scenario> Contexts() => new(Rows.Select(row => row.Context));

    [Theory]
    [MemberData(nameof(TableOnBothHosts))]
    public async Task Ci_plans_exactly_the_targets_of_the_table_row(Host host, Scenario context, string[] runs)
    {
        var run = await Hosts.RunAsync(host, context, "Ci", "--plan", "--json");

        run.ExitCode.ShouldBe(0, run.All);
        run.Running.ShouldBe([.. runs, "Ci"]);
    }

    [Theory]
    [MemberData(nameof(Contexts))]
    public async Task The_same_context_gives_the_same_plan_on_a_laptop_and_in_GitHub_Actions(Scenario context)
    {
        var laptop = await Hosts.OnLaptopAsync(context, "Ci", "--plan", "--json");
        var gitHub = await Hosts.OnGitHubAsync(context, laptop.Context.GetProperty("commit").GetString()!, "Ci", "--plan", "--json");

        laptop.ExitCode.ShouldBe(0, laptop.All);
        gitHub.ExitCode.ShouldBe(0, gitHub.All);
        laptop.Context.GetProperty("host").GetString().ShouldBe("local");
        gitHub.Context.GetProperty("host").GetString().ShouldBe("github-actions");
        WithoutHost(laptop).ShouldBe(WithoutHost(gitHub));
        TargetsWithoutNeedDetails(laptop).ShouldBe(TargetsWithoutNeedDetails(gitHub));
    }

    [Theory]
    [MemberData(nameof(BothHosts))]
    public async Task The_json_context_of_a_closed_pull_request_is_complete(Host host)
    {
        var run = await Hosts.RunAsync(host, Scenario.Closed("fix/crash", merged: true, "release/1.4.0"), "Ci", "--plan", "--json");

        run.ExitCode.ShouldBe(0, run.All);
        var context = JsonNode.Parse(run.Context.GetRawText())!.AsObject();
        context.Select(pair => pair.Key).Take(8).ShouldBe(["host", "branch", "kind", "version", "event", "baseBranch", "merged", "commit"]);
        ((string?)context["branch"]).ShouldBe("fix/crash");
        ((string?)context["kind"]).ShouldBe("fix");
        ((string?)context["version"]).ShouldBeNull();
        ((string?)context["event"]).ShouldBe("pull_request_closed");
        ((string?)context["baseBranch"]).ShouldBe("release/1.4.0");
        ((bool?)context["merged"]).ShouldBe(true);
        ((string)context["commit"]!).ShouldMatch("^[0-9a-f]{40}$");
        ((string?)context["headBranch"]).ShouldBe("fix/crash");
        ((int?)context["prNumber"]).ShouldBe(12);
    }

    [Theory]
    [MemberData(nameof(BothHosts))]
    public async Task A_release_push_carries_the_version_from_the_branch_name(Host host)
    {
        var run = await Hosts.RunAsync(host, Scenario.Push("release/1.4.0"), "Ci", "--plan", "--json");

        run.Context.GetProperty("kind").GetString().ShouldBe("release");
        run.Context.GetProperty("version").GetString().ShouldBe("1.4.0");
        run.Context.GetProperty("baseBranch").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);
        run.Context.GetProperty("merged").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);
    }

    [Fact]
    public async Task A_tag_push_is_kind_other_and_only_compiles_and_tests()
    {
        var run = await Hosts.OnGitHubAsync(Scenario.Push("refs/tags/v1.4.0"), Hosts.FixtureCommit, "Ci", "--plan", "--json");

        run.ExitCode.ShouldBe(0, run.All);
        run.Context.GetProperty("branch").GetString().ShouldBe("refs/tags/v1.4.0");
        run.Context.GetProperty("kind").GetString().ShouldBe("other");
        run.Running.ShouldBe([.. Checks, "Ci"]);
    }

    [Fact]
    public async Task A_detached_HEAD_on_a_laptop_has_no_branch_and_only_compiles_and_tests()
    {
        using var folder = new TempFolder();
        await Git.InitAsync(folder.Path, "release/1.4.0");
        await Git.RunAsync(folder.Path, "checkout", "--quiet", "--detach");

        var run = await Hosts.RunAsync(folder.Path, new Dictionary<string, string>(), ["Ci", "--plan", "--json"]);

        run.ExitCode.ShouldBe(0, run.All);
        run.Context.GetProperty("branch").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);
        run.Context.GetProperty("kind").GetString().ShouldBe("other");
        run.Running.ShouldBe([.. Checks, "Ci"]);
    }

    [Fact]
    public async Task The_text_plan_names_the_context_and_the_rule_that_left_each_target_out()
    {
        var run = await Hosts.OnLaptopAsync(Scenario.Push("feature/login"), "Ci", "--plan");

        run.ExitCode.ShouldBe(0, run.All);
        run.Out.ShouldContain("Context: push of feature/login");
        run.Out.ShouldContain("+ PushImage: Context.PushesImage is true");
        run.Out.ShouldContain("- DeployStage: a push to release/* deploys to stage is false");
    }

    public static TheoryData<Host> BothHosts() => new(Hosts.Both);

    // What a need found depends on the machine (is an engine running here?) and says so; which needs are listed does not.
    private static string TargetsWithoutNeedDetails(BuildRun run)
    {
        var targets = JsonNode.Parse(run.Plan.GetProperty("targets").GetRawText())!.AsArray();
        foreach (var need in targets.SelectMany(target => target!["needs"]!.AsArray()))
        {
            need!.AsObject().Remove("state");
            need.AsObject().Remove("detail");
        }

        return targets.ToJsonString();
    }

    private static string WithoutHost(BuildRun run)
    {
        var context = JsonNode.Parse(run.Context.GetRawText())!.AsObject();
        context.Remove("host");
        return context.ToJsonString();
    }
}
