using Bun.Pipeline.Failures;
using Bun.Pipeline.Output;
using Bun.Pipeline.Processes;

namespace Bun.Pipeline.Tests.Processes;

public sealed class ProcessRunnerTests
{
    private const string Secret = "ghp_Xy7secretTokenValue42";
    private readonly StringWriter _writer = new();
    private readonly BuildOutput _output;
    private readonly ProcessRunner _runner;

    public ProcessRunnerTests()
    {
        _output = new BuildOutput(_writer, new OutputStyle(Colour: false, GitHubActions: false), new SecretMasker());
        _runner = new ProcessRunner(_output);
    }

    [Fact]
    public async Task A_successful_process_returns_its_output_and_echoes_the_command_and_lines()
    {
        var result = await _runner.RunAsync("bash", ["-c", "echo one; echo two >&2"]);

        result.ExitCode.ShouldBe(0);
        result.Lines.OrderBy(line => line).ShouldBe(["one", "two"]);
        _writer.ToString().ShouldStartWith("> bash -c 'echo one; echo two >&2'\n");
        _writer.ToString().ShouldContain("one\n");
        _writer.ToString().ShouldContain("two\n");
    }

    [Fact]
    public async Task Without_echo_nothing_is_written()
    {
        var result = await _runner.RunAsync("bash", ["-c", "echo quiet"], echo: false);

        result.Text.ShouldBe("quiet");
        _writer.ToString().ShouldBeEmpty();
    }

    [Fact]
    public async Task The_process_gets_the_given_environment_and_working_directory()
    {
        var directory = Directory.CreateTempSubdirectory("bun-process-").FullName;
        try
        {
            await _runner.RunAsync("bash", ["-c", "echo \"$GREETING\" > greeting.txt"], workingDirectory: directory,
                environment: new Dictionary<string, string?> { ["GREETING"] = "hello" });

            File.ReadAllText(Path.Combine(directory, "greeting.txt")).ShouldBe("hello\n");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_failing_process_throws_with_the_command_exit_code_and_the_tail_of_its_output()
    {
        var failure = await Should.ThrowAsync<ProcessFailedException>(() =>
            _runner.RunAsync("bash", ["-c", "for i in $(seq 1 30); do echo line $i; done; exit 4"]));

        failure.ProcessExitCode.ShouldBe(4);
        failure.ExitCode.ShouldBe(ExitCodes.Failed);
        var lines = failure.Message.Split('\n');
        lines[0].ShouldBe("`bash -c 'for i in $(seq 1 30); do echo line $i; done; exit 4'` exited with code 4.");
        lines[1].ShouldBe("Last lines:");
        lines[2..].ShouldBe(Enumerable.Range(6, 25).Select(i => $"line {i}").ToArray());
    }

    [Fact]
    public async Task A_secret_in_a_failing_process_output_is_masked_in_the_output_and_in_the_reported_failure()
    {
        _output.RegisterSecret(Secret);

        var failure = await Should.ThrowAsync<ProcessFailedException>(() => _runner.RunAsync("bash", ["-c", "echo token=$SECRET; exit 3"],
            environment: new Dictionary<string, string?> { ["SECRET"] = Secret }));

        // The exception carries the command and the raw tail; BuildOutput masks it when it is written.
        failure.ProcessExitCode.ShouldBe(3);
        failure.Message.ShouldContain("`bash -c 'echo token=$SECRET; exit 3'` exited with code 3.");
        failure.Message.ShouldContain($"token={Secret}");
        _output.Error(failure.Message, "Deploy");

        var written = _writer.ToString();
        written.ShouldNotContain(Secret);
        written.ShouldContain("token=***\n");
        written.ShouldContain("exited with code 3.\nLast lines:\ntoken=***\n");
    }

    [Fact]
    public async Task A_withheld_variable_is_not_inherited_but_may_be_passed_explicitly()
    {
        // A name of this test's own: the variable is set in the real process environment, which every child inherits.
        const string variable = "BUN_PROCESS_RUNNER_TESTS_WITHHELD";
        System.Environment.SetEnvironmentVariable(variable, Secret);
        try
        {
            _runner.Withhold([variable]);

            var inherited = await _runner.RunAsync("bash", ["-c", $"echo \"${{{variable}-withheld}}\""], echo: false);
            var passed = await _runner.RunAsync("bash", ["-c", $"echo \"${{{variable}-withheld}}\""], echo: false,
                environment: new Dictionary<string, string?> { [variable] = "explicit" });

            inherited.Text.ShouldBe("withheld");
            passed.Text.ShouldBe("explicit");
        }
        finally
        {
            System.Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public async Task Cancellation_stops_a_running_process()
    {
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Should.ThrowAsync<OperationCanceledException>(() => _runner.RunAsync("bash", ["-c", "sleep 30"], cancellation.Token));
    }
}
