using Bun.Pipeline.Failures;

namespace Bun.Pipeline.Planning;

/// <summary>
/// A pure function from invoked names to an ordered plan. Conditions are evaluated once each; ties are broken by
/// declaration order, so the same graph and context always give the same plan. Per-target state lives in arrays
/// indexed by declaration order, which keeps planning linear in the size of the plan.
/// </summary>
public static class Planner
{
    public static Plan Create(TargetGraph graph, PlanRequest request)
    {
        var invoked = request.Invoked.Select(name => Resolve(graph, name, request.Synonyms)).Distinct().ToList();
        var state = new PlanState(graph.Nodes.Count);
        Schedule(state, invoked);
        SkipByRequest(graph, request, invoked, state);
        SkipUnneeded(invoked, state);

        var ordered = Order(state);
        var isInvoked = invoked.ToHashSet();
        return new Plan(ordered.Select(node => new PlannedTarget(
            node.Spec,
            state.Skip[node.Index] is null ? Decision.Run : Decision.Skip,
            state.Skip[node.Index] ?? RunsIf(node),
            state.Dependencies[node.Index]!.Select(dependency => dependency.Name).ToList(),
            state.Predecessors[node.Index]!.OrderBy(other => other.Index).Select(other => other.Name).ToList(),
            state.Conditional[node.Index] ?? [],
            isInvoked.Contains(node))).ToList());
    }

    private static TargetNode Resolve(TargetGraph graph, string name, IReadOnlyDictionary<string, string>? synonyms = null) =>
        graph.Find(name) ?? throw BuildFailure.BadInput(
            $"Unknown target '{name}'.{ClosestMatches.Suggest(name, graph.Nodes.Select(node => node.Name), synonyms: synonyms)}");

    /// <summary>What the planner knows of each target, by declaration index; null dependencies mean "not scheduled".</summary>
    private sealed class PlanState(int size)
    {
        public List<TargetNode> Scheduled { get; } = [];
        public List<TargetNode>?[] Dependencies { get; } = new List<TargetNode>?[size];
        public List<TargetNode>?[] Triggered { get; } = new List<TargetNode>?[size];
        public List<TargetNode>?[] Predecessors { get; } = new List<TargetNode>?[size];
        public List<ConditionalLink>?[] Conditional { get; } = new List<ConditionalLink>?[size];
        public TargetNode?[] FirstPuller { get; } = new TargetNode?[size];
        public string?[] Skip { get; } = new string?[size];

        public bool IsScheduled(TargetNode node) => Dependencies[node.Index] is not null;
    }

    private static void Schedule(PlanState state, List<TargetNode> invoked)
    {
        var pending = new Stack<TargetNode>(Enumerable.Reverse(invoked));
        while (pending.TryPop(out var node))
        {
            if (state.IsScheduled(node))
                continue;
            state.Scheduled.Add(node);
            var dependencies = state.Dependencies[node.Index] = Applied(node.Dependencies, "dependsOn", state, node);
            var triggered = state.Triggered[node.Index] = Applied(node.Triggers, "triggers", state, node);
            for (var i = triggered.Count - 1; i >= 0; i--)
                Pull(state, pending, node, triggered[i]);
            for (var i = dependencies.Count - 1; i >= 0; i--)
                Pull(state, pending, node, dependencies[i]);
        }

        foreach (var node in state.Scheduled)
        {
            var predecessors = state.Predecessors[node.Index] = [.. state.Dependencies[node.Index]!];
            foreach (var earlier in node.RunsAfter)
                AddOnce(predecessors, earlier, state.IsScheduled(earlier));
        }

        foreach (var node in state.Scheduled)
        foreach (var triggered in state.Triggered[node.Index]!)
            AddOnce(state.Predecessors[triggered.Index]!, node, true);
    }

    private static void Pull(PlanState state, Stack<TargetNode> pending, TargetNode puller, TargetNode next)
    {
        state.FirstPuller[next.Index] ??= puller;
        pending.Push(next);
    }

    private static void AddOnce(List<TargetNode> list, TargetNode node, bool condition)
    {
        if (condition && !list.Contains(node))
            list.Add(node);
    }

    private static List<TargetNode> Applied(List<Link> links, string kind, PlanState state, TargetNode owner)
    {
        var applied = new List<TargetNode>(links.Count);
        foreach (var link in links)
        {
            var applies = link.When?.Evaluate() ?? true;
            if (link.When is not null)
                (state.Conditional[owner.Index] ??= []).Add(new ConditionalLink(kind, link.Target.Name, link.When.Text, applies));
            AddOnce(applied, link.Target, applies);
        }

        return applied;
    }

    private static void SkipByRequest(TargetGraph graph, PlanRequest request, List<TargetNode> invoked, PlanState state)
    {
        var skipped = (request.Skip ?? []).Select(name => Resolve(graph, name)).ToHashSet();
        var isInvoked = invoked.ToHashSet();
        var succeeded = request.Succeeded.ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var node in state.Scheduled)
        {
            var failing = node.Spec.StaticConditions.FirstOrDefault(condition => !condition.Evaluate());
            state.Skip[node.Index] = failing is not null ? $"condition is false: {failing.Text}"
                : skipped.Contains(node) ? "skipped by --skip"
                : succeeded.Contains(node.Name) ? "succeeded in the failed run that --continue resumes"
                : request.SkipAllButInvoked && !isInvoked.Contains(node) ? "skipped by --skip (only invoked targets run)"
                : null;
        }
    }

    // A skipped target stops pulling in its dependencies and triggers: those nothing else needs are skipped too,
    // naming the target whose own condition or --skip left them unneeded.
    private static void SkipUnneeded(List<TargetNode> invoked, PlanState state)
    {
        var skippedForOwnReason = state.Skip.Select(reason => reason is not null).ToArray();
        var reachable = new bool[state.Skip.Length];
        var pending = new Stack<TargetNode>(invoked);
        while (pending.TryPop(out var node))
        {
            if (reachable[node.Index])
                continue;
            reachable[node.Index] = true;
            if (skippedForOwnReason[node.Index])
                continue;
            foreach (var next in state.Dependencies[node.Index]!)
                pending.Push(next);
            foreach (var next in state.Triggered[node.Index]!)
                pending.Push(next);
        }

        foreach (var node in state.Scheduled.Where(node => !reachable[node.Index] && !skippedForOwnReason[node.Index]))
        {
            var cause = state.FirstPuller[node.Index]!;
            while (!skippedForOwnReason[cause.Index])
                cause = state.FirstPuller[cause.Index]!;
            state.Skip[node.Index] = $"needed only by {cause.Name}, which is skipped";
        }
    }

    private static string? RunsIf(TargetNode node) =>
        node.Spec.DynamicConditions.Count == 0
            ? null
            : $"runs only if, when it starts, {string.Join(" and ", node.Spec.DynamicConditions.Select(condition => condition.Text))}";

    // Kahn's algorithm with declaration order as the tie-breaker.
    private static List<TargetNode> Order(PlanState state)
    {
        var waiting = new int[state.Skip.Length];
        var successors = new List<TargetNode>?[state.Skip.Length];
        var ready = new PriorityQueue<TargetNode, int>();
        foreach (var node in state.Scheduled)
        {
            var predecessors = state.Predecessors[node.Index]!;
            waiting[node.Index] = predecessors.Count;
            foreach (var predecessor in predecessors)
                (successors[predecessor.Index] ??= []).Add(node);
            if (predecessors.Count == 0)
                ready.Enqueue(node, node.Index);
        }

        var ordered = new List<TargetNode>(state.Scheduled.Count);
        while (ready.TryDequeue(out var node, out _))
        {
            ordered.Add(node);
            foreach (var successor in successors[node.Index] ?? [])
            {
                if (--waiting[successor.Index] == 0)
                    ready.Enqueue(successor, successor.Index);
            }
        }

        if (ordered.Count < state.Scheduled.Count)
            throw BuildFailure.BadInput($"Targets form a cycle: {DescribeCycle(state, waiting)} (each runs after the next). Remove one of these edges.");
        return ordered;
    }

    private static string DescribeCycle(PlanState state, int[] waiting)
    {
        var path = new List<TargetNode>();
        var position = new Dictionary<TargetNode, int>();
        var current = state.Scheduled.Where(node => waiting[node.Index] > 0).MinBy(node => node.Index)!;
        while (!position.ContainsKey(current))
        {
            position[current] = path.Count;
            path.Add(current);
            current = state.Predecessors[current.Index]!.Where(other => waiting[other.Index] > 0).MinBy(other => other.Index)!;
        }

        return string.Join(" → ", path.Skip(position[current]).Append(current).Select(node => node.Name));
    }
}
