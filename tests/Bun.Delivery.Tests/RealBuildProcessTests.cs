using System.Diagnostics;
using Bun.Delivery.Tests.Support;

namespace Bun.Delivery.Tests;

/// <summary>The compiled build started as a process inside a simulated GitHub Actions job: runner variables plus a payload file.</summary>
public sealed class RealBuildProcessTests
{
    [Fact]
    public async Task A_pull_request_job_plans_compile_test_and_an_unpushed_image()
    {
        var run = await RunAsync(Scenario.PullRequest("feature/login", "main"), "Ci", "--plan", "--json");

        run.ExitCode.ShouldBe(0, run.All);
        run.Running.ShouldBe(["Compile", "Test", "DockerImage", "Ci"]);
        run.Context.GetProperty("host").GetString().ShouldBe("github-actions");
        run.Context.GetProperty("branch").GetString().ShouldBe("feature/login");
        run.Context.GetProperty("baseBranch").GetString().ShouldBe("main");
        run.Context.GetProperty("commit").GetString().ShouldBe(Hosts.FixtureCommit);
    }

    [Fact]
    public async Task A_push_to_main_plans_the_deployments_to_dev_and_test()
    {
        var run = await RunAsync(Scenario.Push("main"), "Ci", "--plan", "--json");

        run.ExitCode.ShouldBe(0, run.All);
        run.Running.ShouldBe(["Compile", "Test", "DockerImage", "PushImage", "DeployDev", "DeployTest", "Ci"]);
    }

    [Fact]
    public async Task A_merged_feature_pull_request_plans_only_the_cleanup()
    {
        var run = await RunAsync(Scenario.Closed("feature/login", merged: true), "Ci", "--plan", "--json");

        run.ExitCode.ShouldBe(0, run.All);
        run.Running.ShouldBe(["CleanupFeatureImages", "Ci"]);
        run.Context.GetProperty("event").GetString().ShouldBe("pull_request_closed");
        run.Context.GetProperty("merged").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task A_forbidden_deployment_exits_1_with_the_rule_as_a_GitHub_error()
    {
        var run = await RunAsync(Scenario.Push("feature/login"), "DeployStage", "--plan");

        run.ExitCode.ShouldBe(1, run.All);
        run.Error.ShouldContain("::error::error: DeployStage runs only on release/* branches; this is feature/login, which may deploy to dev.");
    }

    [Fact]
    public async Task A_payload_that_is_not_JSON_exits_2()
    {
        var run = await RunAsync(Scenario.Push("main"), ["Ci", "--plan", "--json"], payload: "not json");

        run.ExitCode.ShouldBe(2, run.All);
        run.Error.ShouldContain("(GITHUB_EVENT_PATH) is not JSON");
        run.Out.ShouldBeEmpty();
    }

    private static Task<BuildRun> RunAsync(Scenario scenario, params string[] arguments) => RunAsync(scenario, arguments, payload: null);

    private static async Task<BuildRun> RunAsync(Scenario scenario, string[] arguments, string? payload)
    {
        using var folder = new TempFolder();
        var variables = Hosts.GitHubVariables(scenario, Hosts.FixtureCommit, folder);
        if (payload is not null)
            File.WriteAllText(variables["GITHUB_EVENT_PATH"], payload);

        // The build compiled next to these tests, started in a repository root of its own.
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = folder.Path, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "_build.dll"));
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var name in start.Environment.Keys.Where(name => name.StartsWith("GITHUB_", StringComparison.Ordinal) || name.StartsWith("BUN_", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(name);
        foreach (var (name, value) in variables)
            start.Environment[name] = value;

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new BuildRun(process.ExitCode, await output, await error);
    }
}
