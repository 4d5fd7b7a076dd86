using Bun.Pipeline.Failures;
using Bun.Pipeline.Output;
using Bun.Pipeline.Parameters;
using Bun.Pipeline.Processes;

namespace Bun.Build.Tests;

/// <summary>The Test target's verdict: the closing totals line, and "No test ran" only when nothing failed.</summary>
public sealed class TestRunTests : IDisposable
{
    private readonly TempFolder _results = new();
    private readonly StringWriter _written = new();
    private readonly BuildOutput _log;

    public TestRunTests() => _log = new BuildOutput(_written, new OutputStyle(Colour: false, GitHubActions: false), new SecretMasker());

    public void Dispose() => _results.Dispose();

    private AbsolutePath Results => AbsolutePath.From(_results.Path);

    [Theory]
    [InlineData(Verbosity.Quiet, "quiet")]
    [InlineData(Verbosity.Normal, "minimal")]
    [InlineData(Verbosity.Verbose, "normal")]
    public void By_default_dotnet_test_prints_failures_and_summaries_not_a_line_per_passed_test(Verbosity verbosity, string console) =>
        TestRun.ConsoleVerbosity(verbosity).ShouldBe(console);

    [Fact]
    public async Task A_failed_dotnet_test_stays_the_failure_even_when_no_result_was_written()
    {
        var failed = new ProcessFailedException("dotnet test Bun.sln", 1, ["error CS1002: ; expected"]);

        var thrown = await Should.ThrowAsync<ProcessFailedException>(() => TestRun.RunAsync(() => throw failed, Results, _log));

        thrown.ShouldBeSameAs(failed);
        _written.ToString().ShouldBe("0 passed, 0 failed, 0 skipped\n");
    }

    [Fact]
    public async Task A_failed_dotnet_test_stays_the_failure_when_a_result_file_is_half_written()
    {
        File.WriteAllText(Path.Combine(_results.Path, "crashed.trx"), "<TestRun><Results>");
        var failed = new ProcessFailedException("dotnet test Bun.sln", 1, ["The active test run was aborted."]);

        (await Should.ThrowAsync<ProcessFailedException>(() => TestRun.RunAsync(() => throw failed, Results, _log))).ShouldBeSameAs(failed);
    }

    [Fact]
    public async Task A_run_that_passed_but_ran_nothing_fails_with_no_test_ran()
    {
        var failure = await Should.ThrowAsync<BuildFailure>(() => TestRun.RunAsync(() => Task.CompletedTask, Results, _log));

        failure.Message.ShouldStartWith("No test ran:");
    }

    [Fact]
    public async Task The_totals_are_summed_over_every_result_file_and_skipped_tests_count_as_skipped()
    {
        WriteTrx("a.trx", total: 5, passed: 3, failed: 0);
        WriteTrx("b.trx", total: 2, passed: 2, failed: 0);

        await TestRun.RunAsync(() => Task.CompletedTask, Results, _log);

        _written.ToString().ShouldBe("5 passed, 0 failed, 2 skipped\n");
    }

    private void WriteTrx(string name, int total, int passed, int failed) => File.WriteAllText(Path.Combine(_results.Path, name),
        $"""<TestRun xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010"><ResultSummary><Counters total="{total}" passed="{passed}" failed="{failed}" /></ResultSummary></TestRun>""");
}
