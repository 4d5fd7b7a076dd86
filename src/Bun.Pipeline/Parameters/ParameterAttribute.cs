namespace Bun.Pipeline.Parameters;

/// <summary>Marks a settable field or property of the build class as a parameter (<c>--kebab-case</c> on the command line).</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class ParameterAttribute(string description) : Attribute
{
    public string Description { get; } = description;

    /// <summary>Overrides the kebab-case name derived from the member name.</summary>
    public string? Name { get; init; }

    /// <summary>
    /// Variables besides <c>BUN_&lt;NAME&gt;</c> that set this parameter, e.g. <c>GITHUB_API_URL</c>, which GitHub Actions sets.
    /// Only the prefixed name and these bind: a variable exported for another tool never changes the build by accident.
    /// </summary>
    public string[] EnvironmentAliases { get; init; } = [];
}

/// <summary>The parameter's value is masked as <c>***</c> in everything the build writes.</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class SecretAttribute : Attribute;
