using Bun.Pipeline.Failures;
using Bun.Pipeline.Targets;

namespace Bun.Pipeline.Planning;

/// <summary>A dependency or trigger after normalisation; <see cref="When"/> is null for unconditional edges.</summary>
public sealed record Link(TargetNode Target, Condition? When);

/// <summary>
/// One target with every edge pointing the same way, whichever side declared it. Compared by reference: the planner
/// keeps its per-target state in arrays indexed by <see cref="Index"/>, the declaration order.
/// </summary>
public sealed class TargetNode(TargetSpec spec, int index)
{
    public TargetSpec Spec => spec;
    public int Index => index;
    public string Name => spec.Name;
    public List<Link> Dependencies { get; } = [];
    public List<Link> Triggers { get; } = [];
    public List<TargetNode> RunsAfter { get; } = [];
}

/// <summary>
/// The normalised target graph, built once: DependentFor becomes DependsOn on the other side,
/// Before becomes After, TriggeredBy becomes Triggers.
/// </summary>
public sealed class TargetGraph
{
    private readonly Dictionary<string, TargetNode> _nodes;

    private TargetGraph(IReadOnlyList<TargetNode> nodes)
    {
        Nodes = nodes;
        _nodes = nodes.ToDictionary(node => node.Name, StringComparer.OrdinalIgnoreCase);
    }

    public IReadOnlyList<TargetNode> Nodes { get; }

    public static TargetGraph Build(IReadOnlyList<TargetSpec> specs)
    {
        var nodes = specs.Select((spec, index) => new TargetNode(spec, index)).ToList();
        var duplicate = nodes.GroupBy(node => node.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(group => group.Count() > 1);
        if (duplicate is not null)
            throw BuildFailure.BadInput($"Target {duplicate.Key} is declared twice.");
        var graph = new TargetGraph(nodes);

        foreach (var node in nodes)
        {
            foreach (var edge in node.Spec.Edges)
            {
                var other = graph.Find(edge.Target)
                    ?? throw BuildFailure.BadInput($"Target {node.Name} refers to {edge.Target}, which is not a target.");
                switch (edge.Kind)
                {
                    case EdgeKind.DependsOn: node.Dependencies.Add(new Link(other, edge.When)); break;
                    case EdgeKind.DependentFor: other.Dependencies.Add(new Link(node, edge.When)); break;
                    case EdgeKind.After: node.RunsAfter.Add(other); break;
                    case EdgeKind.Before: other.RunsAfter.Add(node); break;
                    case EdgeKind.Triggers: node.Triggers.Add(new Link(other, edge.When)); break;
                    case EdgeKind.TriggeredBy: other.Triggers.Add(new Link(node, edge.When)); break;
                }
            }
        }

        return graph;
    }

    public TargetNode? Find(string name) => _nodes.GetValueOrDefault(name);

    /// <summary>
    /// The names of the targets that could run for <paramref name="invoked"/>: those and everything their dependencies
    /// and triggers reach, whatever the conditions say. Unknown names are left to the planner to report.
    /// </summary>
    public IReadOnlySet<string> ReachableFrom(IEnumerable<string> invoked)
    {
        var reached = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var pending = new Stack<TargetNode>(invoked.Select(Find).OfType<TargetNode>());
        while (pending.TryPop(out var node))
        {
            if (!reached.Add(node.Name))
                continue;
            foreach (var link in node.Dependencies.Concat(node.Triggers))
                pending.Push(link.Target);
        }

        return reached;
    }

    public TargetNode this[string name] => _nodes[name];
}
