using System.Collections;
using Bun.Pipeline.Output;
using Bun.Pipeline.Parameters;
using Bun.Pipeline.Targets;

namespace Bun.Pipeline.Cli;

/// <summary>
/// <c>--help</c>: targets with their direct dependencies, parameters with the variables that set them and where their value
/// comes from, engine switches.
/// </summary>
internal static class HelpWriter
{
    public static void Write(BuildOutput output, IReadOnlyList<TargetSpec> targets, string defaultTarget, IReadOnlyList<ResolvedParameter> parameters)
    {
        output.Heading("Usage: ./build.sh [targets…] [--parameter value…]");
        output.Info("");
        output.Heading("Targets");
        var listed = targets.Where(target => !target.Unlisted).ToList();
        var width = listed.Select(target => target.Name.Length).DefaultIfEmpty(0).Max() + " (default)".Length + 2;
        foreach (var target in listed)
        {
            var name = target.Name == defaultTarget ? $"{target.Name} (default)" : target.Name;
            output.Info($"  {name.PadRight(width)}{target.Description}");
            var dependencies = target.Edges.Where(edge => edge.Kind == EdgeKind.DependsOn)
                .Select(edge => edge.When is null ? edge.Target : $"{edge.Target} when {edge.When.Text}")
                .ToList();
            if (dependencies.Count > 0)
                output.Dim($"  {"".PadRight(width)}depends on {string.Join(", ", dependencies)}");
        }

        output.Info("");
        output.Heading("Parameters");
        var parameterWidth = parameters.Select(parameter => parameter.Descriptor.Name.Length + 2).Append(14).Max() + 2;
        foreach (var parameter in parameters)
        {
            var descriptor = parameter.Descriptor;
            output.Info($"  {("--" + descriptor.Name).PadRight(parameterWidth)}{descriptor.Description} ({ValueConverter.Describe(descriptor.Type)}; {string.Join(" or ", descriptor.EnvironmentNames)})");
            output.Dim($"  {"".PadRight(parameterWidth)}= {Display(parameter)} ({parameter.Source})");
        }

        output.Info("");
        output.Heading("Engine options");
        foreach (var (name, description) in CommandLine.EngineSwitches)
            output.Info($"  {("--" + name).PadRight(parameterWidth)}{description}");
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
