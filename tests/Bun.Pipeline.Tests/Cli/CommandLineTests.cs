using Bun.Pipeline.Cli;
using Bun.Pipeline.Failures;

namespace Bun.Pipeline.Tests.Cli;

public sealed class CommandLineTests
{
    private const int Cores = 8;

    [Fact]
    public void Words_before_the_first_option_are_targets_and_each_option_takes_the_words_after_it()
    {
        var commandLine = CommandLine.Parse(["Test", "Pack", "--registry", "ghcr.io", "--tags", "latest", "1.4.0", "--push"], Cores);

        commandLine.Targets.ShouldBe(["Test", "Pack"]);
        commandLine.Parameters.Keys.ShouldBe(["registry", "tags", "push"], ignoreOrder: true);
        commandLine.Parameters["registry"].ShouldBe(["ghcr.io"]);
        commandLine.Parameters["tags"].ShouldBe(["latest", "1.4.0"]);
        commandLine.Parameters["push"].ShouldBeEmpty();
    }

    [Fact]
    public void Target_adds_to_the_positional_targets_and_the_engine_switches_are_not_parameters()
    {
        var commandLine = CommandLine.Parse(["Compile", "--target", "Test", "Pack", "--continue", "--verbosity", "quiet", "--root", "../bun"], Cores);

        commandLine.Targets.ShouldBe(["Compile", "Test", "Pack"]);
        commandLine.Parameters.ShouldBeEmpty();
        commandLine.Options.Continue.ShouldBeTrue();
        commandLine.Options.Verbosity.ShouldBe(Bun.Pipeline.Output.Verbosity.Quiet);
        commandLine.Options.Root.ShouldBe("../bun");
    }

    [Theory]
    [InlineData(new[] { "--target" }, "--target needs at least one target name: --target Compile Test.")]
    [InlineData(new[] { "--root", "a", "b" }, "--root takes one folder, got 'a b'.")]
    [InlineData(new[] { "--verbosity", "1" }, "--verbosity takes quiet, normal or verbose, got '1'.")]
    [InlineData(new[] { "--continue", "yes" }, "--continue takes no value, got 'yes'.")]
    public void A_malformed_engine_switch_is_bad_input(string[] arguments, string message)
    {
        var failure = Should.Throw<BuildFailure>(() => CommandLine.Parse(arguments, Cores));

        failure.ExitCode.ShouldBe(ExitCodes.BadInput);
        failure.Message.ShouldStartWith(message);
    }

    [Fact]
    public void An_option_can_carry_its_value_after_an_equals_sign()
    {
        var commandLine = CommandLine.Parse(["--registry=ghcr.io", "--label=key=value"], Cores);

        commandLine.Targets.ShouldBeEmpty();
        commandLine.Parameters["registry"].ShouldBe(["ghcr.io"]);
        commandLine.Parameters["label"].ShouldBe(["key=value"]);
    }

    [Fact]
    public void Option_names_are_matched_ignoring_case()
    {
        var commandLine = CommandLine.Parse(["--PLAN", "--Registry", "ghcr.io"], Cores);

        commandLine.Options.Plan.ShouldBeTrue();
        commandLine.Parameters["registry"].ShouldBe(["ghcr.io"]);
    }

    [Fact]
    public void An_option_given_twice_is_bad_input()
    {
        var failure = Should.Throw<BuildFailure>(() => CommandLine.Parse(["--registry", "a", "--Registry", "b"], Cores));

        failure.ExitCode.ShouldBe(ExitCodes.BadInput);
        failure.Message.ShouldContain("--registry is given twice");
    }

    [Fact]
    public void Max_parallel_without_parallel_is_bad_input()
    {
        var failure = Should.Throw<BuildFailure>(() => CommandLine.Parse(["--max-parallel", "3"], Cores));

        failure.ExitCode.ShouldBe(ExitCodes.BadInput);
        failure.Message.ShouldBe("--max-parallel needs --parallel.");
    }

    [Theory]
    [InlineData(new string[0], 1)]
    [InlineData(new[] { "--parallel" }, Cores)]
    [InlineData(new[] { "--parallel", "--max-parallel", "3" }, 3)]
    [InlineData(new[] { "--max-parallel=2", "--parallel" }, 2)]
    public void Parallelism_is_one_unless_parallel_is_given(string[] arguments, int maxParallel)
    {
        CommandLine.Parse(arguments, Cores).Options.MaxParallel.ShouldBe(maxParallel);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("many")]
    public void Max_parallel_must_be_a_positive_whole_number(string value)
    {
        var failure = Should.Throw<BuildFailure>(() => CommandLine.Parse(["--parallel", "--max-parallel", value], Cores));

        failure.ExitCode.ShouldBe(ExitCodes.BadInput);
        failure.Message.ShouldContain("positive whole number");
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("--plan")]
    [InlineData("--json")]
    [InlineData("--parallel")]
    public void A_flag_followed_by_a_word_is_bad_input_that_says_targets_go_first(string flag)
    {
        var failure = Should.Throw<BuildFailure>(() => CommandLine.Parse([flag, "Compile"], Cores));

        failure.ExitCode.ShouldBe(ExitCodes.BadInput);
        failure.Message.ShouldContain($"{flag} takes no value, got 'Compile'");
        failure.Message.ShouldContain("Targets go before options");
    }

    [Theory]
    [InlineData("-h")]
    [InlineData("-?")]
    [InlineData("--help")]
    public void Help_has_short_forms(string argument)
    {
        CommandLine.Parse([argument], Cores).Options.Help.ShouldBeTrue();
    }

    [Fact]
    public void Plan_and_json_are_engine_switches_not_parameters()
    {
        var commandLine = CommandLine.Parse(["Ci", "--plan", "--json"], Cores);

        commandLine.Options.Plan.ShouldBeTrue();
        commandLine.Options.Json.ShouldBeTrue();
        commandLine.Parameters.ShouldBeEmpty();
        commandLine.Targets.ShouldBe(["Ci"]);
    }

    [Fact]
    public void Skip_without_names_means_skip_everything_not_invoked_and_absent_skip_is_null()
    {
        CommandLine.Parse(["Test", "--skip"], Cores).Options.Skip.ShouldBe([]);
        CommandLine.Parse(["Test", "--skip", "Restore", "Compile"], Cores).Options.Skip.ShouldBe(["Restore", "Compile"]);
        CommandLine.Parse(["Test"], Cores).Options.Skip.ShouldBeNull();
    }

    [Fact]
    public void Profiles_accumulate_in_order()
    {
        CommandLine.Parse(["--profile", "ci", "--profile", "release", "local"], Cores).Options.Profiles.ShouldBe(["ci", "release", "local"]);
    }
}
