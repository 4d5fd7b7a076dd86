namespace Bun.Pipeline.Targets;

public enum EdgeKind
{
    DependsOn,
    DependentFor,
    Before,
    After,
    Triggers,
    TriggeredBy,
}

/// <summary>One declared edge of a target; <see cref="When"/> makes it conditional.</summary>
public sealed record Edge(EdgeKind Kind, string Target, Condition? When = null);
