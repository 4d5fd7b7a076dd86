using System.Text.Json;
using Bun.Pipeline.Cli;
using Bun.Pipeline.Failures;
using Bun.Pipeline.Parameters;
using Bun.Pipeline.Targets;
using Bun.Pipeline.Tests.Support;

namespace Bun.Pipeline.Tests.Cli;

/// <summary>Needs, the help layout and NUKE's conveniences (--target, --continue, --root, --version, --verbosity), through the runner.</summary>
public sealed class EngineConvenienceTests : IDisposable
{
    private readonly BuildHarness _harness = new();
    private NeedsBuild _build = new();

    public void Dispose() => _harness.Dispose();

    private Task<int> Run(params string[] arguments) => _harness.RunAsync(_build, _build.Compile, arguments);

    [Fact]
    public async Task A_missing_need_stops_the_build_with_2_and_one_line_before_the_first_target()
    {
        var exitCode = await Run("Deploy", "--engine-answers", "false");

        exitCode.ShouldBe(ExitCodes.BadInput);
        _harness.Error.ToString().ShouldBe("error: Image, Deploy needs a container engine: start one (./engine.sh) or set ENGINE_HOST.\n");
        _build.Ran.ShouldBeEmpty();
    }

    [Fact]
    public async Task The_build_prepares_with_the_targets_that_could_run_before_the_plan_reads_its_conditions()
    {
        (await Run("Image", "--plan")).ShouldBe(ExitCodes.Succeeded);
        _build.Prepared.ShouldBe(["Compile", "Image"], ignoreOrder: true);

        _build = new NeedsBuild();
        (await Run("--help")).ShouldBe(ExitCodes.Succeeded);
        _build.Prepared.ShouldBeNull("--help plans nothing, so nothing is prepared");
    }

    [Fact]
    public async Task A_parameter_out_of_range_is_refused_before_anything_runs()
    {
        var exitCode = await Run("Deploy", "--settle-seconds", "-1");

        exitCode.ShouldBe(ExitCodes.BadInput);
        _harness.Error.ToString().ShouldBe("error: Deploy needs --settle-seconds in range: --settle-seconds is 0 or more, got -1.\n");
        _build.Ran.ShouldBeEmpty();
    }

    [Fact]
    public async Task Needs_that_are_met_let_the_targets_run()
    {
        (await Run("Deploy")).ShouldBe(ExitCodes.Succeeded);

        _build.Ran.ShouldBe(["Compile", "Image", "Lint", "Deploy"]);
    }

    [Fact]
    public async Task Plan_lists_each_need_with_its_state_and_what_would_stop_the_build()
    {
        var exitCode = await Run("Deploy", "--plan", "--engine-answers", "false");

        exitCode.ShouldBe(ExitCodes.Succeeded);
        var plan = _harness.Out.ToString();
        plan.ShouldMatch(@"(?m)^\s+needs a container engine: missing \(start one \(\./engine\.sh\) or set ENGINE_HOST\.\)$");
        plan.ShouldMatch(@"(?m)^\s+needs a registry that answers: not checked \(no --registry: the image stays local\)$");
        plan.ShouldMatch(@"(?m)^\s+needs --settle-seconds in range: ok$");
        plan.ShouldContain("would stop before anything runs: Image, Deploy needs a container engine");
        _build.Ran.ShouldBeEmpty();
    }

    [Fact]
    public async Task Plan_json_adds_the_needs_of_each_target()
    {
        (await Run("Deploy", "--plan", "--json", "--engine-answers", "false")).ShouldBe(ExitCodes.Succeeded);

        using var document = JsonDocument.Parse(_harness.Out.ToString());
        var targets = document.RootElement.GetProperty("targets").EnumerateArray().ToDictionary(target => target.GetProperty("name").GetString()!);
        targets["Compile"].GetProperty("needs").GetArrayLength().ShouldBe(0);
        var needs = targets["Deploy"].GetProperty("needs").EnumerateArray()
            .Select(need => (need.GetProperty("name").GetString(), need.GetProperty("state").GetString(), need.GetProperty("detail").GetString())).ToList();
        needs.ShouldBe([
            ("a container engine", "missing", "start one (./engine.sh) or set ENGINE_HOST."),
            ("a registry that answers", "not_checked", "no --registry: the image stays local"),
            ("--settle-seconds in range", "ok", null),
        ]);
    }

    [Fact]
    public async Task Target_is_an_alias_for_the_positional_targets()
    {
        (await Run("--target", "Image", "Lint")).ShouldBe(ExitCodes.Succeeded);

        _build.Ran.ShouldBe(["Compile", "Image", "Lint"]);
    }

    [Fact]
    public async Task Continue_resumes_after_the_last_failed_target_of_the_same_command_line()
    {
        _harness.Variables["BUN_FAIL_LINT"] = "true";
        (await Run("Image", "Lint")).ShouldBe(ExitCodes.Failed);
        _harness.Variables.Remove("BUN_FAIL_LINT");
        _build = new NeedsBuild();

        (await Run("Image", "Lint", "--continue")).ShouldBe(ExitCodes.Succeeded);

        _build.Ran.ShouldBe(["Lint"]);
        _harness.Out.ToString().ShouldContain("succeeded in the failed run that --continue resumes");
    }

    [Fact]
    public async Task Continue_after_a_different_command_line_runs_everything()
    {
        _harness.Variables["BUN_FAIL_LINT"] = "true";
        (await Run("Image", "Lint")).ShouldBe(ExitCodes.Failed);
        _harness.Variables.Remove("BUN_FAIL_LINT");
        _build = new NeedsBuild();

        (await Run("Lint", "Image", "--continue")).ShouldBe(ExitCodes.Succeeded);

        _build.Ran.ShouldBe(["Compile", "Image", "Lint"]);
    }

    [Fact]
    public async Task Root_names_the_repository_from_anywhere()
    {
        using var elsewhere = new TempFolder();
        Directory.Delete(elsewhere.Nuke);
        var environment = new BuildEnvironment(_harness.Variables, _harness.Out, _harness.Error, IsTerminal: false, elsewhere.Path, Cores: 2);

        var exitCode = await BuildRunner.RunAsync(_build, ["Compile", "--root", _harness.Root.Path], _build.Compile, environment, CancellationToken.None);
        var refused = await BuildRunner.RunAsync(_build, ["Compile", "--root", elsewhere.Path], _build.Compile, environment, CancellationToken.None);

        exitCode.ShouldBe(ExitCodes.Succeeded);
        File.Exists(_harness.SchemaPath).ShouldBeTrue("the build ran in the given root");
        refused.ShouldBe(ExitCodes.BadInput);
        _harness.Error.ToString().ShouldContain("has no .nuke folder");
    }

    [Fact]
    public async Task Version_prints_the_engine_version_and_runs_nothing()
    {
        (await Run("--version")).ShouldBe(ExitCodes.Succeeded);

        _harness.Out.ToString().ShouldMatch(@"^Bun\.Pipeline \d+\.\d+\.\d+\S*\n$");
        _build.Ran.ShouldBeEmpty();
    }

    [Fact]
    public async Task Quiet_keeps_warnings_and_errors_and_verbose_adds_detail()
    {
        (await Run("Image", "--verbosity", "quiet")).ShouldBe(ExitCodes.Succeeded);
        _harness.Out.ToString().ShouldNotContain("building the image");
        _harness.Out.ToString().ShouldContain("warning: the image is not signed");

        (await Run("Image", "--verbosity", "verbose")).ShouldBe(ExitCodes.Succeeded);
        _harness.Out.ToString().ShouldContain("layer 1 of 1");

        (await Run("Image", "--verbosity", "loud")).ShouldBe(ExitCodes.BadInput);
        _harness.Error.ToString().ShouldContain("error: --verbosity takes quiet, normal or verbose, got 'loud'.");
    }

    [Fact]
    public async Task Normal_verbosity_leaves_out_verbose_detail()
    {
        (await Run("Image")).ShouldBe(ExitCodes.Succeeded);

        _harness.Out.ToString().ShouldContain("building the image");
        _harness.Out.ToString().ShouldNotContain("layer 1 of 1");
    }

    [Fact]
    public async Task Help_groups_targets_in_declaration_order_marks_secrets_lists_values_and_names_rules()
    {
        (await Run("--help")).ShouldBe(ExitCodes.Succeeded);

        var help = _harness.Out.ToString();
        help.IndexOf("Targets: build", StringComparison.Ordinal).ShouldBeLessThan(help.IndexOf("Targets: images", StringComparison.Ordinal));
        help.IndexOf("Targets: images", StringComparison.Ordinal).ShouldBeLessThan(help.IndexOf("Other targets", StringComparison.Ordinal));
        help.ShouldMatch(@"(?m)^\s+depends on Image, Lint when lint is enabled$");
        help.ShouldMatch(@"(?m)^\s+--token\s+The registry's token\. \(secret, text; BUN_TOKEN\)$");
        help.ShouldMatch(@"(?m)^\s+--stage\s+Where to deploy\. \(one of dev, test, prod; BUN_STAGE\)$");
    }

    [Fact]
    public async Task An_unknown_target_the_build_knows_a_synonym_for_suggests_it()
    {
        (await Run("Ship")).ShouldBe(ExitCodes.BadInput);

        _harness.Error.ToString().ShouldBe("error: Unknown target 'Ship'. Did you mean Deploy?\n");
    }

    private sealed class NeedsBuild : Build
    {
        [Parameter("Whether the container engine answers (stands in for a ping).")]
        public bool EngineAnswers { get; set; } = true;

        [Parameter("How long to watch the deployment, in seconds.")]
        public double SettleSeconds { get; set; } = 30;

        [Parameter("The registry.")]
        public string? Registry { get; set; }

        [Parameter("The registry's token."), Secret]
        public string? Token { get; set; }

        [Parameter("Where to deploy.")]
        public string? Stage { get; set; }

        [Parameter("Lint fails (to test --continue).")]
        public bool FailLint { get; set; }

        public List<string> Ran { get; } = [];

        public IReadOnlySet<string>? Prepared { get; private set; }

        protected internal override Task PrepareAsync(IReadOnlySet<string> reachable, CancellationToken cancellation)
        {
            Prepared = reachable;
            return Task.CompletedTask;
        }

        private Need Engine => new("a container engine", async token =>
        {
            await Task.Yield();
            return EngineAnswers ? NeedStatus.Ok() : NeedStatus.Missing("start one (./engine.sh) or set ENGINE_HOST.");
        });

        public Target Compile => _ => _.Group("build").Executes(() => Ran.Add(nameof(Compile)));

        public Target Image => _ => _
            .Group("images")
            .DependsOn(Compile)
            .Needs(Engine)
            .Executes(() =>
            {
                Ran.Add(nameof(Image));
                Log.Info("building the image");
                Log.Verbose("layer 1 of 1");
                Log.Warning("warning: the image is not signed");
            });

        public Target Lint => _ => _.Group("build").Executes(() =>
        {
            Ran.Add(nameof(Lint));
            if (FailLint)
                throw new BuildFailure("lint found 1 problem");
        });

        public Target Deploy => _ => _
            .DependsOn(Image, Lint).When("lint is enabled", () => true)
            .Needs(Engine,
                Need.Of("a registry that answers", () => Registry is null ? NeedStatus.NotChecked("no --registry: the image stays local") : NeedStatus.Ok()),
                Need.Of("--settle-seconds in range", () => SettleSeconds >= 0 ? NeedStatus.Ok() : NeedStatus.Missing($"--settle-seconds is 0 or more, got {SettleSeconds}")))
            .Executes(() => Ran.Add(nameof(Deploy)));

        protected internal override IReadOnlyList<string>? ValuesOf(ParameterDescriptor parameter) =>
            parameter.MemberName == nameof(Stage) ? ["dev", "test", "prod"] : null;

        protected internal override IReadOnlyDictionary<string, string> TargetSynonyms => new Dictionary<string, string> { ["ship"] = nameof(Deploy) };
    }
}
