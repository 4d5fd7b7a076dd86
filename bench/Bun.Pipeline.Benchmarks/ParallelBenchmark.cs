using System.Diagnostics;
using Bun.Pipeline.Cli;
using Bun.Pipeline.Targets;

namespace Bun.Pipeline.Benchmarks;

/// <summary>
/// Four independent targets that each wait one second, run through the whole engine (<see cref="BuildRunner"/>:
/// parsing, discovery, planning, executor, summary) with <c>--parallel</c>, in a scratch root holding only .nuke/.
/// </summary>
internal static class ParallelBenchmark
{
    private const int Runs = 3;

    public static async Task<int> RunAsync()
    {
        var root = Directory.CreateTempSubdirectory("bun-bench-");
        try
        {
            Directory.CreateDirectory(Path.Combine(root.FullName, ".nuke"));
            await TimeAsync(root.FullName, TimeSpan.Zero, ["--parallel", "--max-parallel", "4"]); // warm-up: JIT and reflection
            var four = await MedianAsync(root.FullName, ["--parallel", "--max-parallel", "4"]);
            Console.WriteLine($"parallel 4 targets × 1 s, --parallel --max-parallel 4: wall median {Measure.S(four)}");
            var cores = await MedianAsync(root.FullName, ["--parallel"]);
            Console.WriteLine($"parallel 4 targets × 1 s, --parallel (max = {Environment.ProcessorCount} cores): wall median {Measure.S(cores)}");
            return Measure.Goal($"4 × 1 s with --parallel --max-parallel 4 in ≤ 1.3 s (got {Measure.S(four)})", four <= TimeSpan.FromSeconds(1.3));
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    private static async Task<TimeSpan> MedianAsync(string root, string[] switches)
    {
        var times = new List<TimeSpan>();
        for (var i = 0; i < Runs; i++)
            times.Add(await TimeAsync(root, TimeSpan.FromSeconds(1), switches));
        return Measure.Median(times);
    }

    private static async Task<TimeSpan> TimeAsync(string root, TimeSpan wait, string[] switches)
    {
        var output = new StringWriter();
        var environment = new BuildEnvironment(new Dictionary<string, string>(), output, output, IsTerminal: false, root, Environment.ProcessorCount);
        var build = new WaitingBuild(wait);
        var clock = Stopwatch.StartNew();
        var exitCode = await BuildRunner.RunAsync(build, ["A", "B", "C", "D", .. switches], build.A, environment, CancellationToken.None);
        var elapsed = clock.Elapsed;
        if (exitCode != 0)
            throw new InvalidOperationException($"The build failed with exit code {exitCode}:\n{output}");
        return elapsed;
    }

    private sealed class WaitingBuild(TimeSpan wait) : Build
    {
        public Target A => _ => _.Description("Waits.").Executes(() => Task.Delay(wait));
        public Target B => _ => _.Description("Waits.").Executes(() => Task.Delay(wait));
        public Target C => _ => _.Description("Waits.").Executes(() => Task.Delay(wait));
        public Target D => _ => _.Description("Waits.").Executes(() => Task.Delay(wait));
    }
}
