using Bun.Delivery.Tests.Support;

namespace Bun.Delivery.Tests;

/// <summary>Targets invoked by name: refused with exit 1 and the rule where the delivery model forbids them, planned where it allows them.</summary>
public sealed class GuardTests
{
    private static readonly (Scenario Context, string[] Arguments, string Rule)[] Refusals =
    [
        (Scenario.Push("feature/login"), ["DeployStage"], "DeployStage runs only on release/* branches; this is feature/login,"),
        (Scenario.Push("main"), ["DeployStage"], "DeployStage runs only on release/* branches; this is main,"),
        (Scenario.Push("main"), ["PromoteProd"], "PromoteProd runs only on release/* branches; this is main,"),
        (Scenario.Dispatch("feature/login"), ["PromoteProd"], "PromoteProd runs only on release/* branches; this is feature/login,"),
        (Scenario.Push("feature/login"), ["DeployTest"], "DeployTest runs only on main; this is feature/login, which may deploy to dev."),
        (Scenario.Push("release/1.4.0"), ["DeployDev"], "DeployDev runs only on main, feature/* or fix/* branches; this is release/1.4.0,"),
        (Scenario.Push("spike/idea"), ["DeployDev"], "DeployDev runs only on main, feature/* or fix/* branches; this is spike/idea, which deploys nowhere: only main, feature/*, release/* or fix/* branches deploy."),
        (Scenario.PullRequest("feature/login"), ["DeployDev"], "DeployDev never runs for a pull request"),
        (Scenario.PullRequest("release/1.4.0"), ["DeployStage"], "DeployStage never runs for a pull request"),
        (Scenario.PullRequest("feature/login"), ["PushImage"], "PushImage never runs for a pull request"),
        (Scenario.Push("spike/idea"), ["PushImage"], "PushImage runs only on main, feature/*, release/* or fix/* branches; this is spike/idea."),
        (Scenario.Push("feature/login"), ["CleanupFeatureImages"], "CleanupFeatureImages runs only when a pull request from a feature/* or fix/* branch is closed as merged"),
        (Scenario.Closed("feature/login", merged: false), ["CleanupFeatureImages"], "CleanupFeatureImages runs only when a pull request"),
        (Scenario.Closed("release/1.4.0", merged: true), ["CleanupFeatureImages"], "CleanupFeatureImages runs only when a pull request"),
        (Scenario.Push("main"), ["Rollback", "--environment", "local"], "Rollback works on dev, test, stage or prod; local is a developer's machine"),
        (Scenario.Push("main"), ["Verify", "--environment", "local"], "Verify works on dev, test, stage or prod; local is a developer's machine, with no Argo CD application to verify."),
        (Scenario.Push("main"), ["ResetDummyDatabase", "--environment", "test"], "ResetDummyDatabase resets only dummy databases; test's database is real."),
        (Scenario.Push("release/1.4.0"), ["ResetDummyDatabase", "--environment", "dev"], "ResetDummyDatabase --environment dev runs only on main, feature/* or fix/* branches; this is release/1.4.0,"),
        (Scenario.Push("feature/login"), ["MigrateDatabase", "--environment", "stage"], "MigrateDatabase --environment stage runs only on release/* branches; this is feature/login,"),
    ];

    private static readonly (Scenario Context, string[] Arguments)[] Allowed =
    [
        (Scenario.Push("feature/login"), ["DeployDev"]),
        (Scenario.Push("fix/crash"), ["DeployDev"]),
        (Scenario.Dispatch("feature/login"), ["DeployDev"]),
        (Scenario.Push("main"), ["DeployDev"]),
        (Scenario.Push("main"), ["DeployTest"]),
        (Scenario.Push("release/1.4.0"), ["DeployStage"]),
        (Scenario.Push("release/1.4.0"), ["PromoteProd"]),
        (Scenario.Dispatch("release/1.4.0"), ["PromoteProd"]),
        (Scenario.Push("feature/login"), ["Rollback", "--environment", "prod"]),
        (Scenario.PullRequest("spike/idea"), ["Rollback", "--environment", "dev"]),
        (Scenario.Push("feature/login"), ["Verify", "--environment", "stage"]),
        (Scenario.Closed("fix/crash", merged: true), ["CleanupFeatureImages"]),
        (Scenario.Push("feature/login"), ["ResetDummyDatabase"]),
        (Scenario.Push("release/1.4.0"), ["MigrateDatabase", "--environment", "stage"]),
        (Scenario.Push("spike/idea"), ["DockerImage"]),
    ];

    public static TheoryData<Host, Scenario, string[], string> RefusalsOnBothHosts()
    {
        var data = new TheoryData<Host, Scenario, string[], string>();
        foreach (var host in Hosts.Both)
        foreach (var (context, arguments, rule) in Refusals)
            data.Add(host, context, arguments, rule);
        return data;
    }

    public static TheoryData<Host, Scenario, string[]> AllowedOnBothHosts()
    {
        var data = new TheoryData<Host, Scenario, string[]>();
        foreach (var host in Hosts.Both)
        foreach (var (context, arguments) in Allowed)
            data.Add(host, context, arguments);
        return data;
    }

    [Theory]
    [MemberData(nameof(RefusalsOnBothHosts))]
    public async Task A_forbidden_invocation_exits_1_naming_the_rule_even_for_a_plan(Host host, Scenario context, string[] arguments, string rule)
    {
        var run = await Hosts.RunAsync(host, context, [.. arguments, "--plan"]);

        run.ExitCode.ShouldBe(1, run.All);
        run.Error.ShouldContain(rule);
        run.Out.ShouldNotContain("Plan:");
    }

    [Theory]
    [MemberData(nameof(AllowedOnBothHosts))]
    public async Task An_allowed_invocation_is_planned(Host host, Scenario context, string[] arguments)
    {
        var run = await Hosts.RunAsync(host, context, [.. arguments, "--plan", "--json"]);

        run.ExitCode.ShouldBe(0, run.All);
        run.Running.ShouldContain(arguments[0]);
    }

    [Theory]
    [MemberData(nameof(CiPlanTests.BothHosts), MemberType = typeof(CiPlanTests))]
    public async Task A_refused_target_runs_nothing_at_all(Host host)
    {
        var run = await Hosts.RunAsync(host, Scenario.Push("feature/login"), "DeployStage");

        run.ExitCode.ShouldBe(1, run.All);
        run.Error.ShouldContain("DeployStage runs only on release/* branches; this is feature/login,");
        run.StartedATarget.ShouldBeFalse(run.All);
    }

    [Theory]
    [MemberData(nameof(CiPlanTests.BothHosts), MemberType = typeof(CiPlanTests))]
    public async Task Rollback_without_an_environment_exits_2_asking_for_one(Host host)
    {
        var run = await Hosts.RunAsync(host, Scenario.Push("main"), "Rollback");

        run.ExitCode.ShouldBe(2, run.All);
        run.Error.ShouldContain("Rollback needs --environment");
        run.StartedATarget.ShouldBeFalse(run.All);
    }
}
