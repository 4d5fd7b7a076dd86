namespace Bun.Pipeline.Parameters;

/// <summary>Marks a settable field or property of the build class as a parameter (<c>--kebab-case</c> on the command line).</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class ParameterAttribute(string description) : Attribute
{
    public string Description { get; } = description;

    /// <summary>Overrides the kebab-case name derived from the member name.</summary>
    public string? Name { get; init; }
}

/// <summary>The parameter's value is masked as <c>***</c> in everything the build writes.</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class SecretAttribute : Attribute;
