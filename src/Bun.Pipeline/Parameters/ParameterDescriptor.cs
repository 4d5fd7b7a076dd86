using System.Reflection;
using System.Text;
using Bun.Pipeline.Failures;

namespace Bun.Pipeline.Parameters;

/// <summary>A parameter of the build: its name, type and how to read and write the member that holds it.</summary>
public sealed record ParameterDescriptor(string Name, string MemberName, string Description, Type Type, bool IsSecret)
{
    public required Func<object, object?> Read { get; init; }
    public required Action<object, object?> Write { get; init; }

    /// <summary>The variables this parameter declares as aliases (<see cref="ParameterAttribute.EnvironmentAliases"/>).</summary>
    public IReadOnlyList<string> EnvironmentAliases { get; init; } = [];

    /// <summary>The prefixed variable, <c>BUN_&lt;NAME&gt;</c>: the one to use.</summary>
    public string EnvironmentName => EnvironmentPrefix + Name.Replace('-', '_').ToUpperInvariant();

    /// <summary>Every variable that sets this parameter, in the order they are read: the prefixed one, then the aliases.</summary>
    public IReadOnlyList<string> EnvironmentNames => [EnvironmentName, .. EnvironmentAliases];

    public const string EnvironmentPrefix = "BUN_";

    /// <summary>Whether the variable sets this parameter: <c>BUN_</c> and the name ignoring case and underscores, or a declared alias.</summary>
    public bool IsSetBy(string variable) =>
        (variable.StartsWith(EnvironmentPrefix, StringComparison.OrdinalIgnoreCase) && Normalise(variable[EnvironmentPrefix.Length..]) == Normalise(Name))
        || EnvironmentAliases.Contains(variable, StringComparer.OrdinalIgnoreCase);

    /// <summary>Lower case without separators: how command line, environment and file keys are matched.</summary>
    public static string Normalise(string name) => name.Replace("-", "").Replace("_", "").ToLowerInvariant();

    public static IReadOnlyList<ParameterDescriptor> Discover(Type buildType)
    {
        const BindingFlags flags = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
        var members = new List<ParameterDescriptor>();
        for (var type = buildType; type is not null && type != typeof(object); type = type.BaseType)
        {
            foreach (var member in type.GetMembers(flags | BindingFlags.DeclaredOnly).OrderBy(member => member.MetadataToken))
            {
                if (member.GetCustomAttribute<ParameterAttribute>() is not { } attribute)
                    continue;
                members.Add(member switch
                {
                    FieldInfo { IsInitOnly: true } field => throw new BuildFailure(
                        $"Parameter {field.Name} is a readonly field; make it a property with a setter so it is set explicitly.", ExitCodes.BadInput),
                    FieldInfo field => Describe(field, attribute, field.FieldType, field.GetValue, field.SetValue),
                    PropertyInfo { CanWrite: true } property => Describe(property, attribute, property.PropertyType, property.GetValue, property.SetValue),
                    _ => throw new BuildFailure($"Parameter {member.Name} has no setter; add one.", ExitCodes.BadInput),
                });
            }
        }

        return members;
    }

    private static ParameterDescriptor Describe(MemberInfo member, ParameterAttribute attribute, Type type,
        Func<object, object?> read, Action<object, object?> write) =>
        new(attribute.Name ?? Kebab(member.Name), member.Name, attribute.Description, type, member.GetCustomAttribute<SecretAttribute>() is not null)
        {
            Read = read,
            Write = write,
            EnvironmentAliases = attribute.EnvironmentAliases,
        };

    public static string Kebab(string name)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            var boundary = i > 0 && char.IsUpper(name[i]) && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1])));
            if (boundary)
                builder.Append('-');
            builder.Append(char.ToLowerInvariant(name[i]));
        }

        return builder.ToString().TrimStart('_');
    }
}
