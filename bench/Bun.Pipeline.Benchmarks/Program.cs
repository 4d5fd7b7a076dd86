using Bun.Pipeline.Benchmarks;

// dotnet Bun.Pipeline.Benchmarks.dll [plan] [parallel]   (both when none is named)
// Prints one line per figure; a line starting with "FAIL" when a goal is missed, and exit code 1.
var all = args.Length == 0;
var missed = 0;
if (all || args.Contains("plan"))
    missed += PlanningBenchmark.Run();
if (all || args.Contains("parallel"))
    missed += await ParallelBenchmark.RunAsync();
return missed == 0 ? 0 : 1;
