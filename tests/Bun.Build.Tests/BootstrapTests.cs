using System.Text.RegularExpressions;

namespace Bun.Build.Tests;

/// <summary>
/// <c>./build.sh</c> end to end in a scratch copy of the repository: it compiles the build project only when its
/// inputs changed, and never runs a build compiled from older sources. The tests share one copy and leave it
/// compiling and warm, so they pass in any order.
/// </summary>
public sealed partial class BootstrapTests(BootstrapFixture fixture) : IClassFixture<BootstrapFixture>
{
    private const string CompileTargetFile = "build/Build.Compile.cs";
    private BootstrapRepository Repository => fixture.Repository;

    [Fact]
    public void First_run_compiles_the_build_and_runs_it()
    {
        var run = fixture.FirstRun;

        fixture.AssemblyExistedBeforeFirstRun.ShouldBeFalse("the copy must start without a compiled build");
        run.ExitCode.ShouldBe(0, run.All);
        run.Error.ShouldContain(BootstrapRepository.CompilingMessage);
        run.Out.ShouldContain("Plan:");
        run.Out.ShouldContain("Compile");
        File.Exists(Repository.BuildAssembly).ShouldBeTrue();
    }

    [Fact]
    public async Task Unchanged_build_runs_without_compiling()
    {
        (await Repository.RunAsync("--plan")).ExitCode.ShouldBe(0);
        var compiledAt = File.GetLastWriteTimeUtc(Repository.BuildAssembly);

        var run = await Repository.RunAsync("--plan");

        run.ExitCode.ShouldBe(0, run.All);
        run.Out.ShouldContain("Plan:");
        run.Error.ShouldNotContain(BootstrapRepository.CompilingMessage);
        File.GetLastWriteTimeUtc(Repository.BuildAssembly).ShouldBe(compiledAt);
    }

    [Fact]
    public async Task Edited_target_is_rebuilt_before_it_runs()
    {
        var description = $"Compiles everything ({Guid.NewGuid():N}).";
        (await Repository.RunAsync("--help")).Out.ShouldNotContain(description);

        Edit(CompileTargetFile, text => FirstDescription().Replace(text, $".Description(\"{description}\")", 1));
        var run = await Repository.RunAsync("--help");

        run.ExitCode.ShouldBe(0, run.All);
        run.Error.ShouldContain(BootstrapRepository.CompilingMessage);
        run.Out.ShouldContain(description);
    }

    [Fact]
    public async Task Build_that_does_not_compile_fails_and_never_runs_the_previous_binary()
    {
        (await Repository.RunAsync("--help")).Out.ShouldContain("Usage:");
        var original = File.ReadAllText(Repository.PathOf(CompileTargetFile));
        try
        {
            Edit(CompileTargetFile, text => text + "\nthis is not C#\n");

            var failed = await Repository.RunAsync("--help");
            var failedAgain = await Repository.RunAsync("--help");

            failed.ExitCode.ShouldNotBe(0);
            failed.Error.ShouldContain("error CS");
            failed.Out.ShouldNotContain("Usage:");
            failedAgain.ExitCode.ShouldNotBe(0, "a failed compile must not be remembered as current");
            failedAgain.Out.ShouldNotContain("Usage:");
        }
        finally
        {
            File.WriteAllText(Repository.PathOf(CompileTargetFile), original);
        }

        var fixedRun = await Repository.RunAsync("--help");
        fixedRun.ExitCode.ShouldBe(0, fixedRun.All);
        fixedRun.Out.ShouldContain("Usage:");
    }

    private void Edit(string relative, Func<string, string> change)
    {
        var path = Repository.PathOf(relative);
        var text = File.ReadAllText(path);
        var changed = change(text);
        changed.ShouldNotBe(text, $"the edit of {relative} changed nothing");
        File.WriteAllText(path, changed);
    }

    [GeneratedRegex("""\.Description\("[^"]*"\)""")]
    private static partial Regex FirstDescription();
}

/// <summary>Several <c>./build.sh</c> started at once in a fresh clone, as parallel CI steps or test runs do.</summary>
public sealed class BootstrapConcurrencyTests
{
    [Fact]
    public async Task Concurrent_first_runs_compile_once_and_all_succeed()
    {
        using var repository = await BootstrapRepository.CopyAsync();

        var runs = await Task.WhenAll(repository.RunAsync("--plan"), repository.RunAsync("--plan"));

        runs.ShouldAllBe(run => run.ExitCode == 0, string.Join("\n---\n", runs.Select(run => run.All)));
        runs.ShouldAllBe(run => run.Out.Contains("Plan:"));
        runs.Count(run => run.Error.Contains(BootstrapRepository.CompilingMessage)).ShouldBe(1);
    }
}
