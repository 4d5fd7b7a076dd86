using Bun.Pipeline.Failures;

namespace Bun.Pipeline.Planning;

/// <summary>
/// A pure function from invoked names to an ordered plan. Conditions are evaluated once each; ties are broken by
/// declaration order, so the same graph and context always give the same plan.
/// </summary>
public static class Planner
{
    public static Plan Create(TargetGraph graph, PlanRequest request)
    {
        var invoked = request.Invoked.Select(name => Resolve(graph, name)).Distinct().ToList();
        var scheduling = Schedule(graph, invoked);
        var skips = Skips(graph, request, invoked, scheduling.Scheduled);
        var reachable = Reachable(invoked, scheduling, skips);
        var skippedForOwnReason = skips.Keys.ToHashSet();
        foreach (var node in scheduling.Scheduled.Where(node => !reachable.Contains(node) && !skippedForOwnReason.Contains(node)))
            skips[node] = $"needed only by {SkippedAncestor(node, scheduling.FirstPuller, skippedForOwnReason).Name}, which is skipped";

        var ordered = Order(scheduling);
        return new Plan(ordered.Select(node => new PlannedTarget(
            node.Spec,
            skips.ContainsKey(node) ? Decision.Skip : Decision.Run,
            skips.GetValueOrDefault(node) ?? RunsIf(node),
            scheduling.Dependencies[node].Select(dependency => dependency.Name).ToList(),
            scheduling.Predecessors[node].OrderBy(other => other.Index).Select(other => other.Name).ToList(),
            scheduling.Conditional[node],
            invoked.Contains(node))).ToList());
    }

    private static TargetNode Resolve(TargetGraph graph, string name) =>
        graph.Find(name) ?? throw BuildFailure.BadInput(
            $"Unknown target '{name}'.{ClosestMatches.Suggest(name, graph.Nodes.Select(node => node.Name))}");

    private sealed class Scheduling
    {
        public List<TargetNode> Scheduled { get; } = [];
        public Dictionary<TargetNode, List<TargetNode>> Dependencies { get; } = [];
        public Dictionary<TargetNode, List<TargetNode>> Triggered { get; } = [];
        public Dictionary<TargetNode, HashSet<TargetNode>> Predecessors { get; } = [];
        public Dictionary<TargetNode, List<ConditionalLink>> Conditional { get; } = [];
        public Dictionary<TargetNode, TargetNode> FirstPuller { get; } = [];
    }

    private static Scheduling Schedule(TargetGraph graph, IEnumerable<TargetNode> invoked)
    {
        var scheduling = new Scheduling();
        var pending = new Stack<TargetNode>(invoked.Reverse());
        while (pending.TryPop(out var node))
        {
            if (scheduling.Dependencies.ContainsKey(node))
                continue;
            scheduling.Scheduled.Add(node);
            var conditional = scheduling.Conditional[node] = [];
            scheduling.Dependencies[node] = Applied(graph, node.Dependencies, "dependsOn", conditional);
            scheduling.Triggered[node] = Applied(graph, node.Triggers, "triggers", conditional);
            foreach (var next in scheduling.Dependencies[node].Concat(scheduling.Triggered[node]).Reverse())
            {
                scheduling.FirstPuller.TryAdd(next, node);
                pending.Push(next);
            }
        }

        var scheduled = scheduling.Scheduled.ToHashSet();
        foreach (var node in scheduling.Scheduled)
            scheduling.Predecessors[node] = [.. scheduling.Dependencies[node], .. node.RunsAfter.Select(name => graph[name]).Where(scheduled.Contains)];
        foreach (var node in scheduling.Scheduled)
        foreach (var triggered in scheduling.Triggered[node])
            scheduling.Predecessors[triggered].Add(node);
        return scheduling;
    }

    private static List<TargetNode> Applied(TargetGraph graph, List<Link> links, string kind, List<ConditionalLink> conditional)
    {
        var applied = new List<TargetNode>();
        foreach (var link in links)
        {
            var applies = link.When?.Evaluate() ?? true;
            if (link.When is not null)
                conditional.Add(new ConditionalLink(kind, link.Target, link.When.Text, applies));
            if (applies && !applied.Contains(graph[link.Target]))
                applied.Add(graph[link.Target]);
        }

        return applied;
    }

    private static Dictionary<TargetNode, string> Skips(TargetGraph graph, PlanRequest request, List<TargetNode> invoked, List<TargetNode> scheduled)
    {
        var skipped = (request.Skip ?? []).Select(name => Resolve(graph, name)).ToHashSet();
        var skips = new Dictionary<TargetNode, string>();
        foreach (var node in scheduled)
        {
            var failing = node.Spec.StaticConditions.FirstOrDefault(condition => !condition.Evaluate());
            if (failing is not null)
                skips[node] = $"condition is false: {failing.Text}";
            else if (skipped.Contains(node))
                skips[node] = "skipped by --skip";
            else if (request.SkipAllButInvoked && !invoked.Contains(node))
                skips[node] = "skipped by --skip (only invoked targets run)";
        }

        return skips;
    }

    // Targets still needed once skipped targets stop pulling in their own dependencies and triggers.
    private static HashSet<TargetNode> Reachable(List<TargetNode> invoked, Scheduling scheduling, Dictionary<TargetNode, string> skips)
    {
        var reachable = new HashSet<TargetNode>();
        var pending = new Stack<TargetNode>(invoked);
        while (pending.TryPop(out var node))
        {
            if (!reachable.Add(node) || skips.ContainsKey(node))
                continue;
            foreach (var next in scheduling.Dependencies[node].Concat(scheduling.Triggered[node]))
                pending.Push(next);
        }

        return reachable;
    }

    // The target whose own skip (condition or --skip) left this one unneeded; never another target skipped only as a consequence.
    private static TargetNode SkippedAncestor(TargetNode node, Dictionary<TargetNode, TargetNode> firstPuller, HashSet<TargetNode> skipped)
    {
        var current = firstPuller[node];
        while (!skipped.Contains(current))
            current = firstPuller[current];
        return current;
    }

    private static string? RunsIf(TargetNode node) =>
        node.Spec.DynamicConditions.Count == 0
            ? null
            : $"runs only if, when it starts, {string.Join(" and ", node.Spec.DynamicConditions.Select(condition => condition.Text))}";

    // Kahn's algorithm with declaration order as the tie-breaker.
    private static List<TargetNode> Order(Scheduling scheduling)
    {
        var waiting = scheduling.Scheduled.ToDictionary(node => node, node => scheduling.Predecessors[node].Count);
        var successors = scheduling.Scheduled.ToDictionary(node => node, _ => new List<TargetNode>());
        foreach (var node in scheduling.Scheduled)
        foreach (var predecessor in scheduling.Predecessors[node])
            successors[predecessor].Add(node);

        var ready = new PriorityQueue<TargetNode, int>(waiting.Where(pair => pair.Value == 0).Select(pair => (pair.Key, pair.Key.Index)));
        var ordered = new List<TargetNode>(waiting.Count);
        while (ready.TryDequeue(out var node, out _))
        {
            ordered.Add(node);
            foreach (var successor in successors[node])
            {
                if (--waiting[successor] == 0)
                    ready.Enqueue(successor, successor.Index);
            }
        }

        if (ordered.Count < waiting.Count)
            throw BuildFailure.BadInput($"Targets form a cycle: {DescribeCycle(scheduling, waiting)} (each runs after the next). Remove one of these edges.");
        return ordered;
    }

    private static string DescribeCycle(Scheduling scheduling, Dictionary<TargetNode, int> waiting)
    {
        var path = new List<TargetNode>();
        var position = new Dictionary<TargetNode, int>();
        var current = waiting.Where(pair => pair.Value > 0).MinBy(pair => pair.Key.Index).Key;
        while (!position.ContainsKey(current))
        {
            position[current] = path.Count;
            path.Add(current);
            current = scheduling.Predecessors[current].Where(other => waiting[other] > 0).MinBy(other => other.Index)!;
        }

        return string.Join(" → ", path.Skip(position[current]).Append(current).Select(node => node.Name));
    }
}
