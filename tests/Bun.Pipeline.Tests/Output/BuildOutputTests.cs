using Bun.Pipeline.Output;

namespace Bun.Pipeline.Tests.Output;

public sealed class BuildOutputTests
{
    private const string Secret = "s3cr3t-t0ken";
    private readonly StringWriter _writer = new();

    [Fact]
    public void Every_channel_masks_registered_secrets()
    {
        var output = Create(colour: false, gitHubActions: false);
        output.RegisterSecret(Secret);

        output.Info($"info {Secret}");
        output.Dim($"dim {Secret}");
        output.Heading($"heading {Secret}");
        output.Success($"success {Secret}");
        output.Warning($"warning {Secret}");
        output.Notice($"notice {Secret}");
        output.Error($"error {Secret}", title: $"title {Secret}");
        output.Write($"write {Secret}", Tone.Plain);

        var text = _writer.ToString();
        text.ShouldNotContain(Secret);
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length.ShouldBe(8);
        text.ShouldContain("info ***");
        text.ShouldContain("error ***");
        text.ShouldContain("notice: notice ***");
    }

    [Fact]
    public void Buffered_target_output_is_masked_when_written()
    {
        var output = Create(colour: false, gitHubActions: false);
        output.RegisterSecret(Secret);

        using (output.BeginTarget("Deploy", buffered: true))
        {
            output.Info($"logging in with {Secret}");
            output.Error($"login with {Secret} failed", "Deploy");
            _writer.ToString().ShouldBeEmpty("buffered output waits until the target ends");
        }

        _writer.ToString().ShouldBe("▶ Deploy\nlogging in with ***\nlogin with *** failed\n");
    }

    [Fact]
    public void Secrets_are_masked_in_GitHub_Actions_too()
    {
        var output = Create(colour: false, gitHubActions: true);
        output.RegisterSecret(Secret);
        _writer.GetStringBuilder().Clear();

        output.Error($"denied for {Secret}", "Deploy");

        _writer.ToString().ShouldBe("::error title=Deploy::denied for ***\n");
    }

    [Fact]
    public void In_GitHub_Actions_a_registered_secret_is_announced_to_the_runner()
    {
        var output = Create(colour: false, gitHubActions: true);

        output.RegisterSecret(Secret);

        _writer.ToString().ShouldBe($"::add-mask::{Secret}\n");
    }

    [Fact]
    public void In_GitHub_Actions_a_multi_line_secret_is_announced_line_by_line()
    {
        var output = Create(colour: false, gitHubActions: true);

        output.RegisterSecret("-----BEGIN KEY-----\nc2VjcmV0LWtleS1ib2R5\n-----END KEY-----\n");

        // Each line is its own workflow command: no part of the key is printed as a plain log line.
        _writer.ToString().ShouldBe("::add-mask::-----BEGIN KEY-----\n::add-mask::c2VjcmV0LWtleS1ib2R5\n::add-mask::-----END KEY-----\n");
    }

    [Fact]
    public void Outside_GitHub_Actions_registering_a_secret_prints_nothing()
    {
        var output = Create(colour: false, gitHubActions: false);

        output.RegisterSecret(Secret);

        _writer.ToString().ShouldBeEmpty();
    }

    [Fact]
    public void In_GitHub_Actions_a_target_is_a_collapsible_group()
    {
        var output = Create(colour: false, gitHubActions: true);

        using (output.BeginTarget("Compile", buffered: false))
            output.Info("compiling");

        _writer.ToString().ShouldBe("::group::Compile\ncompiling\n::endgroup::\n");
    }

    [Fact]
    public void In_GitHub_Actions_a_buffered_target_is_written_as_one_group()
    {
        var output = Create(colour: false, gitHubActions: true);

        using (output.BeginTarget("Compile", buffered: true))
            output.Info("compiling");

        _writer.ToString().ShouldBe("::group::Compile\ncompiling\n::endgroup::\n");
    }

    [Fact]
    public void In_GitHub_Actions_errors_and_notices_are_annotations()
    {
        var output = Create(colour: false, gitHubActions: true);

        output.Error("tests failed", "Test");
        output.Error("no title");
        output.Notice("nothing to deploy");

        _writer.ToString().ShouldBe("::error title=Test::tests failed\n::error::no title\n::notice::nothing to deploy\n");
    }

    [Fact]
    public void Outside_GitHub_Actions_there_are_no_workflow_commands()
    {
        var output = Create(colour: false, gitHubActions: false);

        using (output.BeginTarget("Compile", buffered: false))
            output.Error("compile failed", "Compile");

        _writer.ToString().ShouldBe("▶ Compile\ncompile failed\n");
    }

    [Fact]
    public void Colour_codes_appear_only_when_the_style_has_colour()
    {
        var plain = new StringWriter();
        var coloured = new StringWriter();
        Write(new BuildOutput(plain, new OutputStyle(Colour: false, GitHubActions: false), new SecretMasker()));
        Write(new BuildOutput(coloured, new OutputStyle(Colour: true, GitHubActions: false), new SecretMasker()));

        plain.ToString().ShouldNotContain("\u001b[");
        plain.ToString().ShouldBe("failed\nwarn\nplain\n");
        coloured.ToString().ShouldBe("\u001b[31mfailed\u001b[0m\n\u001b[33mwarn\u001b[0m\nplain\n");

        static void Write(BuildOutput output)
        {
            output.Error("failed");
            output.Warning("warn");
            output.Info("plain");
        }
    }

    [Fact]
    public void Every_line_of_a_coloured_multi_line_message_is_coloured()
    {
        var output = Create(colour: true, gitHubActions: false);

        output.Error("first\nsecond");

        _writer.ToString().ShouldBe("\u001b[31mfirst\u001b[0m\n\u001b[31msecond\u001b[0m\n");
    }

    [Theory]
    [InlineData(true, null, null, true)]
    [InlineData(false, null, null, false)]
    [InlineData(true, "1", null, false)]
    [InlineData(true, null, "dumb", false)]
    [InlineData(true, null, "xterm-256color", true)]
    public void Colour_is_used_only_on_a_terminal_without_NO_COLOR_or_a_dumb_TERM(bool isTerminal, string? noColor, string? term, bool colour)
    {
        var variables = new Dictionary<string, string>();
        if (noColor is not null)
            variables["NO_COLOR"] = noColor;
        if (term is not null)
            variables["TERM"] = term;

        OutputStyle.Detect(variables, isTerminal).Colour.ShouldBe(colour);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("false", false)]
    [InlineData(null, false)]
    public void GitHub_Actions_is_detected_from_GITHUB_ACTIONS(string? value, bool expected)
    {
        var variables = value is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["GITHUB_ACTIONS"] = value };

        OutputStyle.Detect(variables, isTerminal: false).GitHubActions.ShouldBe(expected);
    }

    private BuildOutput Create(bool colour, bool gitHubActions) =>
        new(_writer, new OutputStyle(colour, gitHubActions), new SecretMasker());
}
