using System.Text.Json;

namespace Bun.Build.Tests;

/// <summary>The real build, started as a process: help, plans and errors as a person sees them.</summary>
public sealed class CommandLineTests
{
    [Fact]
    public async Task Help_lists_targets_with_the_default_marked_and_parameters_with_their_source()
    {
        var run = await BuildProcess.RunAsync(["--help"], new Dictionary<string, string> { ["BUN_CONFIGURATION"] = "Release" });

        run.ExitCode.ShouldBe(0, run.All);
        run.Out.ShouldContain("Test (default)");
        run.Out.ShouldContain("Compile");
        run.Out.ShouldContain("--configuration");
        run.Out.ShouldContain("= Release (environment variable BUN_CONFIGURATION)");
    }

    [Fact]
    public async Task Plan_as_json_is_the_only_thing_on_stdout_and_follows_the_contract()
    {
        var run = await BuildProcess.RunAsync(["Test", "--plan", "--json"]);

        run.ExitCode.ShouldBe(0, run.All);
        using var plan = JsonDocument.Parse(run.Out);
        var context = plan.RootElement.GetProperty("context");
        context.GetProperty("host").GetString().ShouldBe("local");
        context.GetProperty("commit").GetString()!.Length.ShouldBe(40);
        var targets = plan.RootElement.GetProperty("targets").EnumerateArray().ToList();
        var test = targets.Single(target => target.GetProperty("name").GetString() == "Test");
        test.GetProperty("decision").GetString().ShouldBe("run");
        test.GetProperty("reason").ValueKind.ShouldBe(JsonValueKind.Null);
        test.GetProperty("dependsOn").EnumerateArray().Select(name => name.GetString()).ShouldContain("Compile");
        targets.FindIndex(target => target.GetProperty("name").GetString() == "Compile")
            .ShouldBeLessThan(targets.IndexOf(test));
    }

    [Fact]
    public async Task With_no_Docker_engine_the_image_build_stops_in_its_first_seconds_naming_what_to_start()
    {
        var run = await BuildProcess.RunAsync(["DockerImage"], new Dictionary<string, string> { ["DOCKER_HOST"] = $"unix:///tmp/bun-no-engine-{Guid.NewGuid():N}.sock" });

        run.ExitCode.ShouldBe(2, run.All);
        run.Error.ShouldContain("error: DockerImage needs a Docker engine: No Docker Engine answered at unix:///tmp/bun-no-engine-");
        run.Error.ShouldContain("Start the engine");
        run.All.ShouldNotContain("▶ Compile");
    }

    [Fact]
    public async Task Version_prints_the_engine_version()
    {
        var run = await BuildProcess.RunAsync(["--version"]);

        run.ExitCode.ShouldBe(0, run.All);
        run.Out.ShouldStartWith("Bun.Pipeline ");
    }

    [Fact]
    public async Task Plan_with_skip_shows_the_skipped_target_and_why()
    {
        var run = await BuildProcess.RunAsync(["Test", "--plan", "--skip", "Compile"]);

        run.ExitCode.ShouldBe(0, run.All);
        run.Out.ShouldContain("skip");
        run.Out.ShouldContain("skipped by --skip");
    }

    [Fact]
    public async Task Unknown_target_names_the_closest_match_and_exits_2()
    {
        var run = await BuildProcess.RunAsync(["Tset"]);

        run.ExitCode.ShouldBe(2);
        run.Error.ShouldContain("Unknown target 'Tset'");
        run.Error.ShouldContain("Did you mean Test?");
    }

    [Fact]
    public async Task Unknown_parameter_names_the_closest_match_and_exits_2()
    {
        var run = await BuildProcess.RunAsync(["--plan", "--configuraton", "Release"]);

        run.ExitCode.ShouldBe(2);
        run.Error.ShouldContain("--configuration");
    }

    [Fact]
    public async Task Bad_parameter_value_names_the_parameter_its_source_and_the_allowed_values()
    {
        var run = await BuildProcess.RunAsync(["--plan"], new Dictionary<string, string> { ["BUN_CONFIGURATION"] = "Fast" });

        run.ExitCode.ShouldBe(2);
        run.Error.ShouldContain("--configuration");
        run.Error.ShouldContain("BUN_CONFIGURATION");
        run.Error.ShouldContain("release");
    }

    [Fact]
    public async Task Failing_target_exits_1_with_the_summary_and_never_prints_the_secret()
    {
        const string password = "s3cret-Pa55word";

        var run = await BuildProcess.RunAsync(
            ["MigrateDatabase", "--environment", "local", "--database-url", $"postgres://bun:{password}@127.0.0.1:1/bun", "--skip"]);

        run.ExitCode.ShouldBe(1, run.All);
        run.Out.ShouldContain("MigrateDatabase  Failed");
        run.Out.ShouldContain("Build failed");
        run.All.ShouldNotContain(password);
    }

    [Fact]
    public async Task Variables_exported_for_other_tools_change_nothing()
    {
        var run = await BuildProcess.RunAsync(["Ci", "--plan", "--help"], new Dictionary<string, string>
        {
            ["ENVIRONMENT"] = "prod", ["EVENT"] = "deploy", ["HEAD"] = "feature/other", ["DATABASE_URL"] = "postgres://app:ambient-pw@db/app",
        });

        run.ExitCode.ShouldBe(0, run.All);
        run.Out.ShouldMatch(@"(?m)^\s+--environment\s.*\n\s+= not set \(default\)$");
        run.Out.ShouldMatch(@"(?m)^\s+--event\s.*\n\s+= not set \(default\)$");
        run.Out.ShouldMatch(@"(?m)^\s+--database-url\s.*\n\s+= not set \(default\)$");
    }

    [Fact]
    public async Task A_prefixed_variable_and_a_declared_alias_set_their_parameters_and_help_names_both()
    {
        var run = await BuildProcess.RunAsync(["--help"], new Dictionary<string, string>
        {
            ["BUN_ENVIRONMENT"] = "stage", ["GITHUB_API_URL"] = "https://github.example.com/api/v3",
        });

        run.ExitCode.ShouldBe(0, run.All);
        run.Out.ShouldContain("= stage (environment variable BUN_ENVIRONMENT)");
        run.Out.ShouldContain("(text; BUN_GITHUB_API_URL or GITHUB_API_URL)");
        run.Out.ShouldContain("= https://github.example.com/api/v3 (environment variable GITHUB_API_URL)");
    }

    [Fact]
    public async Task Help_with_a_credentialed_GitOps_URL_never_prints_the_password()
    {
        var run = await BuildProcess.RunAsync(["--help", "--gitops-repo", "https://bot:Zq9-pw@git.example.com/deploy.git"]);

        run.ExitCode.ShouldBe(0, run.All);
        run.All.ShouldNotContain("Zq9-pw");
        run.Out.ShouldContain("= https://bot:***@git.example.com/deploy.git (command line)");
    }
}
