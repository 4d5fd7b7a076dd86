using System.Reflection;
using Bun.Pipeline.Failures;

namespace Bun.Pipeline.Targets;

/// <summary>The build's targets in declaration order, and the name of any of its target delegates.</summary>
public sealed record DiscoveredTargets(IReadOnlyList<TargetSpec> Specs, Func<Target, string> NameOf);

/// <summary>
/// The one place that reflects over a build: every <see cref="Target"/> property of the class, its base classes and
/// its interfaces (default interface members share targets between builds), in declaration order.
/// </summary>
public static class TargetDiscovery
{
    private const BindingFlags Instance = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;

    public static DiscoveredTargets Discover(object build)
    {
        var targets = TargetProperties(build.GetType())
            .Select(property => (property.Name, Delegate: (Target?)property.GetValue(build)
                ?? throw new BuildFailure($"Target {property.Name} returned null; give it a definition.", ExitCodes.BadInput)))
            .ToList();

        var names = new Dictionary<MethodInfo, string>();
        foreach (var (name, target) in targets)
        {
            if (!names.TryAdd(target.Method, name))
                throw new BuildFailure($"Targets {names[target.Method]} and {name} are the same delegate; give each target its own definition.", ExitCodes.BadInput);
        }

        string NameOf(Target target) => names.TryGetValue(target.Method, out var name)
            ? name
            : throw new BuildFailure($"A dependency of {string.Join(", ", names.Values)} is not a target property of {build.GetType().Name}.", ExitCodes.BadInput);

        var specs = targets.Select(pair =>
        {
            var definition = new TargetDefinition(pair.Name);
            pair.Delegate(definition);
            return definition.ToSpec(NameOf);
        }).ToList();
        return new DiscoveredTargets(specs, NameOf);
    }

    private static IEnumerable<PropertyInfo> TargetProperties(Type type)
    {
        var hierarchy = new Stack<Type>();
        for (var current = type; current is not null && current != typeof(object); current = current.BaseType)
            hierarchy.Push(current);

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var fromClasses = hierarchy
            .SelectMany(current => current.GetProperties(Instance | BindingFlags.DeclaredOnly).OrderBy(property => property.MetadataToken))
            .Where(IsTarget)
            .Where(property => !property.Name.Contains('.'));
        var fromInterfaces = type.GetInterfaces()
            .OrderBy(contract => contract.MetadataToken)
            .SelectMany(contract => contract.GetProperties().OrderBy(property => property.MetadataToken))
            .Where(IsTarget);

        return fromClasses.Concat(fromInterfaces).Where(property => seen.Add(property.Name)).ToList();
    }

    private static bool IsTarget(PropertyInfo property) =>
        property.PropertyType == typeof(Target) && property.GetIndexParameters().Length == 0 && property.GetMethod is not null;
}
