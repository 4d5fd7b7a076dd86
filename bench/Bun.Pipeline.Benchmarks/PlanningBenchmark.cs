using Bun.Pipeline.Planning;
using Bun.Pipeline.Targets;

namespace Bun.Pipeline.Benchmarks;

/// <summary>
/// Normalising and planning synthetic graphs of 1,000 and 10,000 targets, invoking the last one (which pulls in all
/// of them). The shape is that of a large build: each target depends on the previous one and on up to three
/// recent ones; every fifth adds a conditional dependency further back, and some declare After, Before,
/// DependentFor and (conditional) Triggers edges. Every edge points forward, so the graph has no cycle.
/// </summary>
internal static class PlanningBenchmark
{
    private static readonly TimeSpan Warmup = TimeSpan.FromSeconds(1);
    private const int Runs = 21;

    public static int Run()
    {
        var small = Time(1_000);
        var large = Time(10_000);
        var ratio = large / small;
        Console.WriteLine($"plan 10k/1k time ratio: {Measure.Number(ratio)}");
        return Measure.Goal($"10,000 targets planned in ≤ 50 ms (got {Measure.Ms(large)})", large <= TimeSpan.FromMilliseconds(50))
            + Measure.Goal($"10k/1k ≤ 12 (got {Measure.Number(ratio)})", ratio <= 12);
    }

    private static TimeSpan Time(int count)
    {
        var specs = Synthetic(count);
        var request = new PlanRequest([$"T{count - 1}"]);
        Plan? plan = null;
        var first = Measure.Once(() => plan = Planner.Create(TargetGraph.Build(specs), request));
        if (plan!.Targets.Count != count)
            throw new InvalidOperationException($"The plan has {plan.Targets.Count} targets, expected {count}.");

        // The parts first: their warm-ups also warm the whole, so that no figure is taken from unoptimised code.
        var graph = TargetGraph.Build(specs);
        var building = Measure.Sample(() => TargetGraph.Build(specs), Warmup, Runs);
        var planning = Measure.Sample(() => Planner.Create(graph, request), Warmup, Runs);
        var total = Measure.Sample(() => Planner.Create(TargetGraph.Build(specs), request), Warmup, Runs);
        var edges = specs.Sum(spec => spec.Edges.Count);
        Console.WriteLine($"plan {count} targets ({edges} edges): {total}; {total.Garbage}");
        Console.WriteLine($"    TargetGraph.Build {building}; Planner.Create {planning}; first call, with JIT: {Measure.Ms(first)}");
        return total.Median;
    }

    public static IReadOnlyList<TargetSpec> Synthetic(int count)
    {
        var random = new Random(20_240_601);
        var always = new Condition(() => true, "Context.Builds.Image");
        var specs = new List<TargetSpec>(count);
        for (var i = 0; i < count; i++)
        {
            var edges = new List<Edge>();
            if (i > 0)
            {
                edges.Add(new Edge(EdgeKind.DependsOn, Name(i - 1)));
                for (var k = random.Next(0, 4); k > 0; k--)
                    edges.Add(new Edge(EdgeKind.DependsOn, Name(random.Next(Math.Max(0, i - 30), i))));
                if (i % 5 == 0)
                    edges.Add(new Edge(EdgeKind.DependsOn, Name(random.Next(0, i)), always));
                if (i % 7 == 0)
                    edges.Add(new Edge(EdgeKind.After, Name(random.Next(0, i))));
            }

            if (i + 1 < count)
            {
                if (i % 11 == 0)
                    edges.Add(new Edge(EdgeKind.Triggers, Name(random.Next(i + 1, Math.Min(count, i + 20))), i % 22 == 0 ? always : null));
                if (i % 13 == 0)
                    edges.Add(new Edge(EdgeKind.Before, Name(random.Next(i + 1, count))));
                if (i % 17 == 0)
                    edges.Add(new Edge(EdgeKind.DependentFor, Name(random.Next(i + 1, Math.Min(count, i + 50)))));
            }

            specs.Add(new TargetSpec { Name = Name(i), Description = $"Synthetic target {i}", Edges = edges });
        }

        return specs;
    }

    private static string Name(int index) => $"T{index}";
}
