namespace Bun.Pipeline.Targets;

/// <summary>A target is a delegate over its fluent definition, as in NUKE: <c>Target Compile => _ => _.Executes(...)</c>.</summary>
public delegate ITargetDefinition Target(ITargetDefinition definition);
