using System.Text.RegularExpressions;
using Bun.Testing;
using Shouldly;
using Xunit;
using Xunit.Abstractions;

namespace Bun.Build.Tests;

/// <summary>
/// The real ./build.sh: a cold ResetDummyDatabase returns before the template exists and leaves it to a process of its
/// own, whose output never reaches the caller's streams; once that process is done, the next reset only swaps.
/// </summary>
public sealed partial class DummyTemplateProcessTests(PostgresServer server, ITestOutputHelper log) : IClassFixture<PostgresServer>
{
    [SkippableFact]
    public async Task A_cold_reset_leaves_the_template_to_a_process_of_its_own_and_the_next_reset_swaps_its_spare_in()
    {
        server.Require(log);
        var url = await server.CreateDatabaseAsync();
        var database = new Dictionary<string, string> { ["BUN_DATABASE_URL"] = url };
        string[] reset = ["ResetDummyDatabase", "--environment", "dev", "--rows", "50", "--skip"];

        var cold = await BuildProcess.RunAsync(reset, database);

        cold.ExitCode.ShouldBe(0, cold.All);
        cold.Out.ShouldContain("seeded into a fresh database and swapped in.");
        var builder = BackgroundProcess().Match(cold.Out);
        builder.Success.ShouldBeTrue(cold.Out);
        await WaitUntilGoneAsync(int.Parse(builder.Groups[1].Value), TimeSpan.FromMinutes(2));
        var builderLog = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Folder, ".nuke", "temp", "dummy-template.log"));
        builderLog.ShouldContain($"The template {PostgresServer.DatabaseOf(url)}_bun_template and its spare {PostgresServer.DatabaseOf(url)}_bun_spare are ready");
        builderLog.ShouldNotContain(server.Password);

        var warm = await BuildProcess.RunAsync(reset, database);

        warm.ExitCode.ShouldBe(0, warm.All);
        warm.Out.ShouldContain("swapped in from a ready clone of its template.");
        warm.All.ShouldNotContain(server.Password);
    }

    [SkippableFact]
    public async Task With_dummy_template_wait_the_reset_builds_the_template_itself_before_it_returns()
    {
        server.Require(log);
        var url = await server.CreateDatabaseAsync();
        var database = new Dictionary<string, string> { ["BUN_DATABASE_URL"] = url };
        string[] reset = ["ResetDummyDatabase", "--environment", "dev", "--rows", "30", "--skip", "--dummy-template", "wait"];

        var cold = await BuildProcess.RunAsync(reset, database);
        var warm = await BuildProcess.RunAsync(reset, database);

        cold.ExitCode.ShouldBe(0, cold.All);
        cold.Out.ShouldContain("and its spare are built in this run; the next reset swaps the spare in.");
        BackgroundProcess().IsMatch(cold.Out).ShouldBeFalse();
        warm.Out.ShouldContain("swapped in from a ready clone of its template.");
    }

    // Gone, or a zombie: once the build has exited, nobody may be left to reap it.
    private static async Task WaitUntilGoneAsync(int process, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (File.Exists($"/proc/{process}/stat") && !(await File.ReadAllTextAsync($"/proc/{process}/stat")).Split(") ")[^1].StartsWith('Z'))
            await Task.Delay(50, deadline.Token);
    }

    [GeneratedRegex(@"built in the background by process (\d+) ")]
    private static partial Regex BackgroundProcess();
}
