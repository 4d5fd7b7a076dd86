using System.Collections;
using Bun.Pipeline.Output;
using Bun.Pipeline.Parameters;
using Bun.Pipeline.Targets;

namespace Bun.Pipeline.Cli;

/// <summary>
/// <c>--help</c>: targets by group with their direct dependencies, parameters with the values they take, the variables
/// that set them and where their value comes from (secrets marked), engine switches.
/// </summary>
internal static class HelpWriter
{
    public const string OtherTargets = "Other targets";

    public static void Write(BuildOutput output, IReadOnlyList<TargetSpec> targets, string defaultTarget, IReadOnlyList<ResolvedParameter> parameters,
        Func<ParameterDescriptor, IReadOnlyList<string>?> valuesOf, IReadOnlyList<string> groupOrder)
    {
        output.Heading("Usage: ./build.sh [targets…] [--parameter value…]");
        var listed = targets.Where(target => !target.Unlisted).ToList();
        var width = listed.Select(target => target.Name.Length).DefaultIfEmpty(0).Max() + " (default)".Length + 2;
        // Groups in the build's order, then in the order they are first declared; ungrouped targets last.
        int Rank(string? group) => group is null ? int.MaxValue : groupOrder.ToList().IndexOf(group) is >= 0 and var rank ? rank : groupOrder.Count;
        foreach (var group in listed.GroupBy(target => target.Group).OrderBy(group => Rank(group.Key)))
        {
            output.Info("");
            output.Heading(group.Key is null ? (listed.Any(target => target.Group is not null) ? OtherTargets : "Targets") : $"Targets: {group.Key}");
            WriteTargets(output, group, defaultTarget, width);
        }

        output.Info("");
        output.Heading("Parameters");
        var parameterWidth = parameters.Select(parameter => parameter.Descriptor.Name.Length + 2).Append(14).Max() + 2;
        foreach (var parameter in parameters)
        {
            var descriptor = parameter.Descriptor;
            var kind = valuesOf(descriptor) is { Count: > 0 } values ? $"one of {string.Join(", ", values)}" : ValueConverter.Describe(descriptor.Type);
            var secret = descriptor.IsSecret ? "secret, " : "";
            output.Info($"  {("--" + descriptor.Name).PadRight(parameterWidth)}{descriptor.Description} ({secret}{kind}; {string.Join(" or ", descriptor.EnvironmentNames)})");
            output.Dim($"  {"".PadRight(parameterWidth)}= {Display(parameter)} ({parameter.Source})");
        }

        output.Info("");
        output.Heading("Engine options");
        foreach (var (name, description) in CommandLine.EngineSwitches)
            output.Info($"  {("--" + name).PadRight(parameterWidth)}{description}");
    }

    private static void WriteTargets(BuildOutput output, IEnumerable<TargetSpec> targets, string defaultTarget, int width)
    {
        foreach (var target in targets)
        {
            var name = target.Name == defaultTarget ? $"{target.Name} (default)" : target.Name;
            output.Info($"  {name.PadRight(width)}{target.Description}");
            var dependencies = Dependencies(target);
            if (dependencies.Count > 0)
                output.Dim($"  {"".PadRight(width)}depends on {string.Join(", ", dependencies)}");
        }
    }

    // One DependsOn(...).When(...) call reads as one clause: "Image, Lint when lint is enabled".
    private static List<string> Dependencies(TargetSpec target)
    {
        var clauses = new List<(Condition? When, List<string> Targets)>();
        foreach (var edge in target.Edges.Where(edge => edge.Kind == EdgeKind.DependsOn))
        {
            if (clauses.Count > 0 && edge.When is not null && ReferenceEquals(clauses[^1].When, edge.When))
                clauses[^1].Targets.Add(edge.Target);
            else
                clauses.Add((edge.When, [edge.Target]));
        }

        return clauses.Select(clause => clause.When is null ? string.Join(", ", clause.Targets) : $"{string.Join(", ", clause.Targets)} when {clause.When.Text}").ToList();
    }

    private static string Display(ResolvedParameter parameter) => parameter.Value switch
    {
        null => "not set",
        _ when parameter.Descriptor.IsSecret => SecretMasker.Mask,
        string text => text,
        IEnumerable values => string.Join(", ", values.Cast<object>()),
        var value => value.ToString() ?? "",
    };
}
