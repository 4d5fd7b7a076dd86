using System.Diagnostics;
using System.Globalization;

namespace Bun.Pipeline.Benchmarks;

/// <summary>The median and the fastest of several timed runs (the fastest shows how much of the median is other load on the machine), and the garbage collector's share.</summary>
internal sealed record Timing(TimeSpan Median, TimeSpan Min, long AllocatedPerCall, double CollectionsPerCall, TimeSpan PausePerCall)
{
    public override string ToString() => $"median {Measure.Ms(Median)}, min {Measure.Ms(Min)}";

    public string Garbage => $"{AllocatedPerCall / 1024.0 / 1024.0:0.0} MB allocated, {CollectionsPerCall:0.0} GCs, {Measure.Ms(PausePerCall)} paused per call";
}

/// <summary>Medians of timed runs, and the lines the benchmarks print.</summary>
internal static class Measure
{
    public static TimeSpan Once(Action action)
    {
        var clock = Stopwatch.StartNew();
        action();
        return clock.Elapsed;
    }

    /// <summary>
    /// Warms up untimed for at least <paramref name="warmup"/> and 50 calls, long enough for tiered compilation to
    /// replace the first, unoptimised code (30 calls, then a 100 ms delay), then returns the median of
    /// <paramref name="runs"/> timed calls, each on a collected heap.
    /// </summary>
    public static Timing Sample(Action action, TimeSpan warmup, int runs)
    {
        var warming = Stopwatch.StartNew();
        for (var calls = 0; calls < 50 || warming.Elapsed < warmup; calls++)
            action();
        var times = new List<TimeSpan>(runs);
        var (allocated, collections, pause) = (GC.GetTotalAllocatedBytes(precise: true), 0, TimeSpan.Zero);
        for (var i = 0; i < runs; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var (gen0, paused) = (GC.CollectionCount(0), GC.GetTotalPauseDuration());
            times.Add(Once(action));
            (collections, pause) = (collections + GC.CollectionCount(0) - gen0, pause + GC.GetTotalPauseDuration() - paused);
        }

        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        return new Timing(Median(times), times.Min(), allocated / runs, (double)collections / runs, pause / runs);
    }

    public static TimeSpan Median(IReadOnlyList<TimeSpan> times)
    {
        var sorted = times.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    public static string Ms(TimeSpan time) => time.TotalMilliseconds.ToString("0.00", CultureInfo.InvariantCulture) + " ms";

    public static string S(TimeSpan time) => time.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture) + " s";

    public static string Number(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>Prints the goal and returns 1 when it is missed.</summary>
    public static int Goal(string text, bool met)
    {
        Console.WriteLine($"{(met ? "ok  " : "FAIL")} goal: {text}");
        return met ? 0 : 1;
    }
}
