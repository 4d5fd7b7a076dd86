using Bun.Pipeline.Planning;
using Bun.Pipeline.Targets;

namespace Bun.Pipeline.Tests.Support;

/// <summary>Short ways to write target graphs as plain data, the way the planner and executor see them.</summary>
internal static class Specs
{
    public static TargetSpec Target(string name, params Edge[] edges) => new() { Name = name, Edges = edges };

    public static Edge DependsOn(string target, Condition? when = null) => new(EdgeKind.DependsOn, target, when);
    public static Edge DependentFor(string target, Condition? when = null) => new(EdgeKind.DependentFor, target, when);
    public static Edge Before(string target) => new(EdgeKind.Before, target);
    public static Edge After(string target) => new(EdgeKind.After, target);
    public static Edge Triggers(string target, Condition? when = null) => new(EdgeKind.Triggers, target, when);
    public static Edge TriggeredBy(string target, Condition? when = null) => new(EdgeKind.TriggeredBy, target, when);

    /// <summary>A condition with a fixed value, quoted as <paramref name="text"/>.</summary>
    public static Condition Is(bool value, string text) => new(() => value, text);

    public static Plan Plan(IReadOnlyList<TargetSpec> specs, params string[] invoked) =>
        Planner.Create(TargetGraph.Build(specs), new PlanRequest(invoked));

    public static Plan Plan(IReadOnlyList<TargetSpec> specs, PlanRequest request) =>
        Planner.Create(TargetGraph.Build(specs), request);

    public static IReadOnlyList<string> Names(this Plan plan) => plan.Targets.Select(target => target.Name).ToList();

    public static PlannedTarget Get(this Plan plan, string name) => plan.Targets.Single(target => target.Name == name);
}
