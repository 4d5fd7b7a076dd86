namespace Bun.Pipeline.Targets;

/// <summary>
/// Something a target needs before the build starts: a parameter with a value, or a predicate that holds.
/// <see cref="Member"/> names the build member the expression reads, so the error can name the parameter.
/// </summary>
public sealed record Requirement(Func<bool> IsMet, string Text, string? Member);

/// <summary>A delivery rule checked before anything runs; <see cref="Violation"/> returns the rule's message when broken.</summary>
public sealed record Guard(Func<string?> Violation);
