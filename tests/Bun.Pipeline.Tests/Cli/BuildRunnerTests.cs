using System.Text.Json;
using System.Text.RegularExpressions;
using Bun.Pipeline.Failures;
using Bun.Pipeline.Parameters;
using Bun.Pipeline.Targets;
using Bun.Pipeline.Tests.Support;

namespace Bun.Pipeline.Tests.Cli;

public sealed class BuildRunnerTests : IDisposable
{
    private const string Secret = "hunter2-registry-token";
    private readonly BuildHarness _harness = new();
    private readonly SampleBuild _build = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task A_run_executes_the_default_target_with_its_dependencies_and_succeeds()
    {
        var exitCode = await Run();

        exitCode.ShouldBe(ExitCodes.Succeeded);
        _build.Ran.ShouldBe(["Restore", "Compile", "Test"]);
        _harness.Out.ToString().ShouldContain("compiling Debug");
        _harness.Out.ToString().ShouldContain("Build succeeded");
        _harness.Error.ToString().ShouldBeEmpty();
    }

    [Fact]
    public async Task Parameters_are_set_before_targets_run()
    {
        var exitCode = await Run("Compile", "--configuration", "Release");

        exitCode.ShouldBe(ExitCodes.Succeeded);
        _build.Ran.ShouldBe(["Restore", "Compile"]);
        _harness.Out.ToString().ShouldContain("compiling Release");
    }

    [Fact]
    public async Task Parameters_come_from_the_default_parameters_file_and_profiles()
    {
        _harness.Root.WriteNuke("parameters.json", """{ "Configuration": "FromDefault" }""");
        _harness.Root.WriteNuke("parameters.ci.json", """{ "Configuration": "FromProfile" }""");

        (await Run("Compile")).ShouldBe(ExitCodes.Succeeded);
        (await Run("Compile", "--profile", "ci")).ShouldBe(ExitCodes.Succeeded);

        _harness.Out.ToString().ShouldContain("compiling FromDefault");
        _harness.Out.ToString().ShouldContain("compiling FromProfile");
    }

    [Fact]
    public async Task Help_lists_targets_with_the_default_marked_and_parameters_with_their_source()
    {
        _harness.Variables["BUN_TOKEN"] = Secret;

        var exitCode = await Run("--help", "--configuration", "Release");

        exitCode.ShouldBe(ExitCodes.Succeeded);
        var help = _harness.Out.ToString();
        help.ShouldContain("Compile");
        help.ShouldContain("Compiles the solution.");
        help.ShouldMatch(@"(?m)^\s+Test \(default\)");
        help.ShouldMatch(@"(?m)^\s+depends on Compile$");
        help.ShouldMatch(@"(?m)^\s+depends on Test, Pack, Approve when Release$");
        help.ShouldNotContain("Hidden");
        help.ShouldMatch(@"(?m)^\s+--registry\s+Container registry to push to\. \(text; BUN_REGISTRY\)$");
        help.ShouldMatch(@"(?m)^\s+= not set \(default\)$");
        help.ShouldMatch(@"(?m)^\s+= Release \(command line\)$");
        help.ShouldMatch(@"(?m)^\s+= \*\*\* \(environment variable BUN_TOKEN\)$");
        help.ShouldContain("--max-parallel");
        _harness.AllOutput.ShouldNotContain(Secret);
        _build.Ran.ShouldBeEmpty();
    }

    [Fact]
    public async Task Plan_prints_each_decision_with_its_reason_and_runs_nothing()
    {
        var exitCode = await Run("Ci", "--plan");

        exitCode.ShouldBe(ExitCodes.Succeeded);
        var plan = _harness.Out.ToString();
        plan.ShouldContain("Plan: 4 of 6 targets run");
        plan.ShouldMatch(@"(?m)^\s+1\. Restore\s+run\s*$");
        plan.ShouldMatch(@"(?m)^\s+4\. Pack\s+skip  needed only by Publish, which is skipped$");
        plan.ShouldMatch(@"(?m)^\s+5\. Publish\s+skip  condition is false: Release$");
        plan.ShouldMatch(@"(?m)^\s+after Test, Pack$");
        plan.ShouldMatch(@"(?m)^\s+- Approve: Release is false$");
        plan.ShouldMatch(@"(?m)^\s+6\. Ci\s+run\s*$");
        _build.Ran.ShouldBeEmpty();
        File.Exists(_harness.SchemaPath).ShouldBeFalse("--plan changes nothing on disk");
    }

    [Fact]
    public async Task Plan_as_JSON_writes_only_JSON_to_stdout()
    {
        var exitCode = await Run("Publish", "--plan", "--json", "--release");

        exitCode.ShouldBe(ExitCodes.Succeeded);
        using var document = JsonDocument.Parse(_harness.Out.ToString());
        var root = document.RootElement;
        root.GetProperty("context").GetProperty("host").GetString().ShouldBe("local");
        var targets = root.GetProperty("targets").EnumerateArray().ToList();
        targets.Select(target => target.GetProperty("name").GetString()).ShouldBe(["Restore", "Compile", "Test", "Pack", "Approve", "Publish"]);
        targets.ShouldAllBe(target => target.GetProperty("decision").GetString() == "run");
        var publish = targets.Single(target => target.GetProperty("name").GetString() == "Publish");
        publish.GetProperty("reason").ValueKind.ShouldBe(JsonValueKind.Null);
        publish.GetProperty("dependsOn").EnumerateArray().Select(name => name.GetString()).ShouldBe(["Test", "Pack", "Approve"]);
        var link = publish.GetProperty("conditional").EnumerateArray().Single();
        link.GetProperty("kind").GetString().ShouldBe("dependsOn");
        link.GetProperty("target").GetString().ShouldBe("Approve");
        link.GetProperty("condition").GetString().ShouldBe("Release");
        link.GetProperty("applies").GetBoolean().ShouldBeTrue();
        _build.Ran.ShouldBeEmpty();
    }

    [Fact]
    public async Task Plan_as_JSON_gives_skip_decisions_with_reasons()
    {
        (await Run("Publish", "--plan", "--json")).ShouldBe(ExitCodes.Succeeded);

        using var document = JsonDocument.Parse(_harness.Out.ToString());
        var publish = document.RootElement.GetProperty("targets").EnumerateArray().Single(target => target.GetProperty("name").GetString() == "Publish");
        publish.GetProperty("decision").GetString().ShouldBe("skip");
        publish.GetProperty("reason").GetString().ShouldBe("condition is false: Release");
    }

    [Fact]
    public async Task Json_without_plan_puts_the_targets_JSON_result_alone_on_stdout_masked()
    {
        var build = new ReportingBuild();

        var exitCode = await _harness.RunAsync(build, build.Report, "Report", "--json", "--token", Secret);

        exitCode.ShouldBe(ExitCodes.Succeeded);
        using var document = JsonDocument.Parse(_harness.Out.ToString());
        document.RootElement.GetProperty("token").GetString().ShouldBe("***");
        _harness.Error.ToString().ShouldContain("reading the report");
        _harness.Error.ToString().ShouldContain("Build succeeded");
        _harness.AllOutput.ShouldNotContain(Secret);
    }

    [Fact]
    public async Task Without_json_a_target_with_a_JSON_result_writes_for_people_on_stdout()
    {
        var build = new ReportingBuild();

        (await _harness.RunAsync(build, build.Report, "Report")).ShouldBe(ExitCodes.Succeeded);

        _harness.Out.ToString().ShouldContain("the report, for people");
        _harness.Error.ToString().ShouldBeEmpty();
    }

    [Fact]
    public async Task An_unknown_target_exits_with_2_and_a_suggestion()
    {
        var exitCode = await Run("Tset");

        exitCode.ShouldBe(ExitCodes.BadInput);
        _harness.Error.ToString().ShouldBe("error: Unknown target 'Tset'. Did you mean Test?\n");
        _harness.Out.ToString().ShouldBeEmpty();
    }

    [Fact]
    public async Task A_bad_parameter_value_exits_with_2_naming_the_parameter_and_its_source()
    {
        _harness.Variables["BUN_RELEASE"] = "maybe";

        var exitCode = await Run();

        exitCode.ShouldBe(ExitCodes.BadInput);
        _harness.Error.ToString().ShouldContain("Parameter --release (from environment variable BUN_RELEASE): 'maybe' is not true or false.");
        _build.Ran.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_missing_profile_exits_with_2()
    {
        var exitCode = await Run("--profile", "staging");

        exitCode.ShouldBe(ExitCodes.BadInput);
        _harness.Error.ToString().ShouldContain("Profile 'staging' has no file");
    }

    [Fact]
    public async Task A_failing_target_exits_with_1_and_the_summary_shows_what_failed_and_what_did_not_run()
    {
        var build = new FailingBuild();

        var exitCode = await _harness.RunAsync(build, build.Ci);

        exitCode.ShouldBe(ExitCodes.Failed);
        var output = _harness.Out.ToString();
        output.ShouldMatch(@"(?m)^Compile\s+Failed\s+\S+\s+compiler crashed$");
        output.ShouldMatch(@"(?m)^Test\s+NotRun\s+–\s+the build stopped after Compile failed$");
        output.ShouldMatch(@"(?m)^Ci\s+NotRun\s+–\s+the build stopped after Compile failed$");
        output.ShouldMatch(@"(?m)^Report\s+Succeeded\s+");
        output.ShouldContain("Build failed after");
        build.Ran.ShouldBe(["Report"]);
    }

    [Fact]
    public async Task A_secret_passed_on_the_command_line_is_masked_when_a_failing_target_reports_it()
    {
        var exitCode = await Run("Login", "--token", Secret);

        exitCode.ShouldBe(ExitCodes.Failed);
        _harness.AllOutput.ShouldNotContain(Secret);
        _harness.Out.ToString().ShouldContain("the registry refused token ***");
        _harness.Out.ToString().ShouldMatch(@"(?m)^Login\s+Failed\s+\S+\s+the registry refused token \*\*\*$");
    }

    [Fact]
    public async Task A_secret_in_a_failing_tools_output_is_masked_in_everything_the_build_writes()
    {
        var exitCode = await Run("Push", "--token", Secret);

        exitCode.ShouldBe(ExitCodes.Failed);
        _harness.AllOutput.ShouldNotContain(Secret);
        _harness.Out.ToString().ShouldContain("token=***");
        _harness.Out.ToString().ShouldContain("exited with code 3.");
    }

    [Fact]
    public async Task In_GitHub_Actions_a_secret_appears_only_in_the_add_mask_command()
    {
        _harness.Variables["GITHUB_ACTIONS"] = "true";

        var exitCode = await Run("Login", "--token", Secret);

        exitCode.ShouldBe(ExitCodes.Failed);
        var lines = _harness.Out.ToString().Split('\n');
        lines[0].ShouldBe($"::add-mask::{Secret}");
        lines.Skip(1).ShouldAllBe(line => !line.Contains(Secret));
        lines.ShouldContain("::error title=Login::the registry refused token ***%0Aat Login");
        lines.ShouldContain("::group::Login");
        lines.ShouldContain("::endgroup::");
    }

    [Fact]
    public async Task Help_shows_every_variable_that_sets_a_parameter()
    {
        var exitCode = await Run("--help");

        exitCode.ShouldBe(ExitCodes.Succeeded);
        _harness.Out.ToString().ShouldMatch(@"(?m)^\s+--api-url\s+GitHub's API root\. \(text; BUN_API_URL or GITHUB_API_URL\)$");
    }

    [Fact]
    public async Task An_exported_variable_without_the_prefix_changes_nothing()
    {
        _harness.Variables["RELEASE"] = "maybe";
        _harness.Variables["CONFIGURATION"] = "Release";

        var exitCode = await Run("Compile");

        exitCode.ShouldBe(ExitCodes.Succeeded, _harness.AllOutput);
        _harness.Out.ToString().ShouldContain("compiling Debug");
    }

    [Fact]
    public async Task The_password_in_a_URL_parameter_is_masked_in_help_whatever_its_length()
    {
        _harness.Variables["BUN_API_URL"] = "https://bot:k9@api.example.com/v3";

        var exitCode = await Run("--help", "--registry", "https://bot:Pa55-w0rd@host/repo.git");

        exitCode.ShouldBe(ExitCodes.Succeeded);
        _harness.AllOutput.ShouldNotContain("Pa55-w0rd");
        _harness.AllOutput.ShouldNotContain("k9");
        _harness.Out.ToString().ShouldContain("= https://bot:***@host/repo.git (command line)");
        _harness.Out.ToString().ShouldContain("= https://bot:***@api.example.com/v3 (environment variable BUN_API_URL)");
    }

    [Fact]
    public async Task The_password_in_a_URL_is_masked_in_an_error_about_the_command_line()
    {
        var exitCode = await Run("--plan", "https://bot:Pa55-w0rd@host/repo.git");

        exitCode.ShouldBe(ExitCodes.BadInput);
        _harness.AllOutput.ShouldNotContain("Pa55-w0rd");
        _harness.Error.ToString().ShouldContain("https://bot:***@host/repo.git");
    }

    [Fact]
    public async Task A_secret_with_a_pipe_is_masked_in_the_step_summary()
    {
        const string secret = "left|right-token";
        var summary = Path.Combine(_harness.Root.Path, "summary.md");
        _harness.Variables["GITHUB_STEP_SUMMARY"] = summary;

        var exitCode = await Run("Login", "--token", secret);

        exitCode.ShouldBe(ExitCodes.Failed);
        var markdown = File.ReadAllText(summary);
        markdown.ShouldNotContain("left");
        markdown.ShouldContain("| Login | Failed |");
        markdown.ShouldContain("the registry refused token *** |");
    }

    [Fact]
    public async Task A_secret_is_masked_in_a_JSON_result_before_it_is_escaped()
    {
        const string secret = "quote\"and\\backslash";
        var build = new ReportingBuild();

        var exitCode = await _harness.RunAsync(build, build.Report, "Report", "--json", "--token", secret);

        exitCode.ShouldBe(ExitCodes.Succeeded, _harness.AllOutput);
        JsonDocument.Parse(_harness.Out.ToString()).RootElement.GetProperty("token").GetString().ShouldBe("***");
        _harness.AllOutput.ShouldNotContain("backslash");
    }

    [Fact]
    public async Task A_crash_in_target_code_prints_its_masked_stack_trace()
    {
        var exitCode = await Run("Crash", "--token", Secret);

        exitCode.ShouldBe(ExitCodes.Failed);
        var output = _harness.Out.ToString();
        output.ShouldContain("Crash crashed: System.InvalidOperationException: the registry refused token ***");
        output.ShouldMatch(@"(?m)^\s+at .*SampleBuild\.RefuseToken\(");
        _harness.AllOutput.ShouldNotContain(Secret);
    }

    [Fact]
    public async Task A_build_failure_in_target_code_stays_one_line()
    {
        var exitCode = await Run("Refuse");

        exitCode.ShouldBe(ExitCodes.Failed);
        var output = _harness.Out.ToString();
        output.ShouldContain("the registry is read-only; use another one.");
        output.ShouldNotContain("crashed");
        output.ShouldNotContain("   at ");
    }

    [Fact]
    public async Task A_tool_does_not_inherit_the_variable_that_holds_a_secret()
    {
        // A name of this test's own: the variable is set in the real process environment, which every tool inherits.
        const string variable = "BUN_PROBE_TOKEN";
        _harness.Variables[variable] = Secret;
        System.Environment.SetEnvironmentVariable(variable, Secret);
        try
        {
            var build = new ProbeBuild();

            var exitCode = await _harness.RunAsync(build, build.Probe, "Probe");

            exitCode.ShouldBe(ExitCodes.Succeeded, _harness.AllOutput);
            _harness.Out.ToString().ShouldContain("inherited=withheld");
            _harness.Out.ToString().ShouldContain("passed=***");
        }
        finally
        {
            System.Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public async Task Every_element_of_a_secret_list_is_masked()
    {
        var exitCode = await Run("Sign", "--signing-keys", "first-signing-key", "second-signing-key");

        exitCode.ShouldBe(ExitCodes.Succeeded);
        _harness.AllOutput.ShouldNotContain("first-signing-key");
        _harness.AllOutput.ShouldNotContain("second-signing-key");
        _harness.Out.ToString().ShouldContain("signing with *** and ***");
    }

    [Fact]
    public async Task A_required_parameter_that_is_missing_exits_with_2_naming_the_option()
    {
        var exitCode = await Run("Publish", "--release");

        exitCode.ShouldBe(ExitCodes.BadInput);
        _harness.Error.ToString().ShouldBe("error: Publish needs --registry (or BUN_REGISTRY).\n");
        _build.Ran.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_requirement_of_a_target_the_plan_skips_is_not_checked()
    {
        var exitCode = await Run("Ci");

        exitCode.ShouldBe(ExitCodes.Succeeded);
        _build.Ran.ShouldBe(["Restore", "Compile", "Test", "Ci"]);
    }

    [Fact]
    public async Task A_required_parameter_that_is_given_lets_the_target_run()
    {
        var exitCode = await Run("Publish", "--release", "--registry", "ghcr.io/bun");

        exitCode.ShouldBe(ExitCodes.Succeeded);
        _build.Ran.ShouldBe(["Restore", "Compile", "Test", "Pack", "Approve", "Publish"]);
    }

    [Fact]
    public async Task A_broken_guard_exits_with_1_and_its_message_before_anything_runs()
    {
        var build = new GuardedBuild();

        var exitCode = await _harness.RunAsync(build, build.DeployProd, "--branch", "feature/login");

        exitCode.ShouldBe(ExitCodes.Failed);
        _harness.Error.ToString().ShouldBe("error: DeployProd runs only from main; this is feature/login. Merge first.\n");
        build.Ran.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_guard_that_holds_lets_the_target_run()
    {
        var build = new GuardedBuild();

        var exitCode = await _harness.RunAsync(build, build.DeployProd, "--branch", "main");

        exitCode.ShouldBe(ExitCodes.Succeeded);
        build.Ran.ShouldBe(["Package", "DeployProd"]);
    }

    [Fact]
    public async Task A_target_declared_as_a_default_interface_member_is_discovered_and_can_depend_on_class_targets()
    {
        var build = new ComponentBuild();

        var exitCode = await _harness.RunAsync(build, ((IPackaging)build).Pack);

        exitCode.ShouldBe(ExitCodes.Succeeded);
        build.Ran.ShouldBe(["Compile", "Pack"]);
    }

    [Fact]
    public async Task A_real_run_writes_the_parameters_schema_with_targets_and_parameters()
    {
        (await Run("Restore")).ShouldBe(ExitCodes.Succeeded);

        using var schema = JsonDocument.Parse(File.ReadAllText(_harness.SchemaPath));
        schema.RootElement.GetProperty("definitions").GetProperty("Target").GetProperty("enum").EnumerateArray().Select(name => name.GetString())
            .ShouldBe(["Restore", "Compile", "Test", "Pack", "Approve", "Publish", "Ci", "Login", "Crash", "Refuse", "Push", "Sign", "Hidden"]);
        var properties = schema.RootElement.GetProperty("properties");
        properties.GetProperty("Registry").GetProperty("type").GetString().ShouldBe("string");
        properties.GetProperty("Release").GetProperty("type").GetString().ShouldBe("boolean");
        properties.GetProperty("SigningKeys").GetProperty("type").GetString().ShouldBe("array");
        properties.GetProperty("Token").GetProperty("description").GetString().ShouldBe("Token for the registry. (secret: prefer BUN_TOKEN)");
    }

    [Fact]
    public async Task Cancelling_a_run_exits_with_130_and_the_summary_says_so()
    {
        using var cancellation = new CancellationTokenSource();
        var build = new SlowBuild(cancellation);

        var exitCode = await _harness.RunAsync(build, build.After, cancellation.Token);

        exitCode.ShouldBe(ExitCodes.Cancelled);
        _harness.Out.ToString().ShouldContain("Build cancelled after");
        _harness.Out.ToString().ShouldMatch(@"(?m)^After\s+NotRun\s+–\s+the build was cancelled$");
    }

    private Task<int> Run(params string[] arguments) => _harness.RunAsync(_build, _build.Test, arguments);

    private sealed class SampleBuild : Build
    {
        [Parameter("Container registry to push to.")]
        public string? Registry { get; set; }

        [Parameter("Token for the registry."), Secret]
        public string? Token { get; set; }

        [Parameter("Keys to sign with."), Secret]
        public string[] SigningKeys { get; set; } = [];

        [Parameter("Build configuration.")]
        public string Configuration { get; set; } = "Debug";

        [Parameter("Whether this is a release build.")]
        public bool Release { get; set; }

        [Parameter("GitHub's API root.", EnvironmentAliases = ["GITHUB_API_URL"])]
        public string? ApiUrl { get; set; }

        public List<string> Ran { get; } = [];

        public Target Restore => _ => _
            .Description("Restores packages.")
            .Executes(() => Ran.Add(nameof(Restore)));

        public Target Compile => _ => _
            .Description("Compiles the solution.")
            .DependsOn(Restore)
            .Executes(() =>
            {
                Ran.Add(nameof(Compile));
                Log.Info($"compiling {Configuration}");
            });

        public Target Test => _ => _
            .DependsOn(Compile)
            .Executes(() => Ran.Add(nameof(Test)));

        public Target Pack => _ => _
            .DependsOn(Compile)
            .Executes(() => Ran.Add(nameof(Pack)));

        public Target Approve => _ => _
            .Executes(() => Ran.Add(nameof(Approve)));

        public Target Publish => _ => _
            .Description("Pushes the image.")
            .DependsOn(Test, Pack)
            .DependsOn(Approve).When(() => Release)
            .OnlyWhenStatic(() => Release)
            .Requires(() => Registry)
            .Executes(() => Ran.Add(nameof(Publish)));

        public Target Ci => _ => _
            .DependsOn(Test, Publish)
            .Executes(() => Ran.Add(nameof(Ci)));

        public Target Login => _ => _
            .Executes(() => throw new InvalidOperationException($"the registry refused token {Token}\nat Login"));

        public Target Crash => _ => _.Executes(RefuseToken);

        public Target Refuse => _ => _.Executes(() => throw new BuildFailure("the registry is read-only; use another one."));

        public Target Push => _ => _
            .Executes(async cancellation => await Processes.RunAsync("bash", ["-c", "echo token=$SECRET; exit 3"], cancellation,
                environment: new Dictionary<string, string?> { ["SECRET"] = Token }));

        public Target Sign => _ => _
            .Executes(() => Log.Info($"signing with {string.Join(" and ", SigningKeys)}"));

        public Target Hidden => _ => _
            .Unlisted()
            .Executes(() => { });

        private void RefuseToken() => throw new InvalidOperationException($"the registry refused token {Token}");
    }

    private sealed class ProbeBuild : Build
    {
        [Parameter("A token only this test sets."), Secret]
        public string? ProbeToken { get; set; }

        public Target Probe => _ => _.Executes(async cancellation =>
        {
            await Processes.RunAsync("bash", ["-c", "echo \"inherited=${BUN_PROBE_TOKEN-withheld}\""], cancellation);
            await Processes.RunAsync("bash", ["-c", "echo \"passed=$GIVEN\""], cancellation,
                environment: new Dictionary<string, string?> { ["GIVEN"] = ProbeToken });
        });
    }

    private sealed class ReportingBuild : Build
    {
        [Parameter("Token for the report."), Secret]
        public string? Token { get; set; }

        public Target Report => _ => _.Executes(() =>
        {
            Log.Info("reading the report");
            if (Json)
                WriteJson(new System.Text.Json.Nodes.JsonObject { ["token"] = Token });
            else
                Log.Info("the report, for people");
        });
    }

    private sealed class FailingBuild : Build
    {
        public List<string> Ran { get; } = [];

        public Target Compile => _ => _.Executes(() => throw new InvalidOperationException("compiler crashed"));
        public Target Test => _ => _.DependsOn(Compile).Executes(() => Ran.Add(nameof(Test)));
        public Target Report => _ => _.AssuredAfterFailure().Executes(() => Ran.Add(nameof(Report)));
        public Target Ci => _ => _.DependsOn(Test, Report).Executes(() => Ran.Add(nameof(Ci)));
    }

    private sealed class GuardedBuild : Build
    {
        [Parameter("The branch being built.")]
        public string Branch { get; set; } = "main";

        public List<string> Ran { get; } = [];

        public Target Package => _ => _.Executes(() => Ran.Add(nameof(Package)));

        public Target DeployProd => _ => _
            .DependsOn(Package)
            .Guard(() => Branch == "main" ? null : $"DeployProd runs only from main; this is {Branch}. Merge first.")
            .Executes(() => Ran.Add(nameof(DeployProd)));
    }

    private sealed class SlowBuild(CancellationTokenSource cancellation) : Build
    {
        public Target Wait => _ => _.Executes(async token =>
        {
            await cancellation.CancelAsync();
            await Task.Delay(Timeout.Infinite, token);
        });

        public Target After => _ => _.DependsOn(Wait).Executes(() => { });
    }
}

public interface IPackaging
{
    List<string> Ran { get; }

    Target Compile { get; }

    Target Pack => _ => _
        .DependsOn(Compile)
        .Executes(() => Ran.Add(nameof(Pack)));
}

internal sealed class ComponentBuild : Build, IPackaging
{
    public List<string> Ran { get; } = [];

    public Target Compile => _ => _.Executes(() => Ran.Add(nameof(Compile)));
}
