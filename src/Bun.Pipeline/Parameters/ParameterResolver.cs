using Bun.Pipeline.Failures;
using Bun.Pipeline.Planning;

namespace Bun.Pipeline.Parameters;

/// <summary>A parameter's value and where it came from, as <c>--help</c> shows it.</summary>
public sealed record ResolvedParameter(ParameterDescriptor Descriptor, object? Value, string Source);

/// <summary>
/// Resolves every parameter: command line, then environment (<c>BUN_</c>-prefixed first, matched ignoring case and
/// underscores), then parameters files (later profiles win), then the member's initial value.
/// </summary>
public static class ParameterResolver
{
    public static IReadOnlyList<ResolvedParameter> Resolve(
        IReadOnlyList<ParameterDescriptor> parameters,
        object build,
        IReadOnlyDictionary<string, IReadOnlyList<string>> commandLine,
        IReadOnlyDictionary<string, string> environment,
        IReadOnlyList<ParameterFile> files,
        AbsolutePath root)
    {
        var byKey = parameters.ToDictionary(parameter => ParameterDescriptor.Normalise(parameter.Name));
        RejectUnknown(commandLine.Keys, byKey, parameters, key => $"--{key}", "");
        foreach (var file in files)
            RejectUnknown(file.Values.Keys, byKey, parameters, key => key, $" in {file.Path}");

        var environmentByKey = new Dictionary<string, (string Name, string Value)>();
        foreach (var (name, value) in environment.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            environmentByKey.TryAdd(ParameterDescriptor.Normalise(name), (name, value));

        return parameters.Select(parameter =>
        {
            var key = ParameterDescriptor.Normalise(parameter.Name);
            var found = FromCommandLine(commandLine, key)
                ?? FromEnvironment(environmentByKey, "bun" + key)
                ?? FromEnvironment(environmentByKey, key)
                ?? FromFiles(files, key, root);
            if (found is not { } raw)
                return new ResolvedParameter(parameter, parameter.Read(build), "default");

            var value = ValueConverter.Convert(raw.Values, parameter.Type, parameter.Name, raw.Source, root, parameter.IsSecret);
            parameter.Write(build, value);
            return new ResolvedParameter(parameter, value, raw.Source);
        }).ToList();
    }

    private static (IReadOnlyList<string> Values, string Source)? FromCommandLine(IReadOnlyDictionary<string, IReadOnlyList<string>> commandLine, string key) =>
        commandLine.FirstOrDefault(pair => ParameterDescriptor.Normalise(pair.Key) == key) is { Value: { } values } ? (values, "command line") : null;

    private static (IReadOnlyList<string> Values, string Source)? FromEnvironment(Dictionary<string, (string Name, string Value)> environment, string key) =>
        environment.TryGetValue(key, out var variable) && variable.Value.Length > 0
            ? ([variable.Value], $"environment variable {variable.Name}")
            : null;

    private static (IReadOnlyList<string> Values, string Source)? FromFiles(IReadOnlyList<ParameterFile> files, string key, AbsolutePath root)
    {
        foreach (var file in files.Reverse())
        {
            var match = file.Values.FirstOrDefault(pair => ParameterDescriptor.Normalise(pair.Key) == key);
            if (match.Value is { Count: > 0 } values)
                return (values, Path.GetRelativePath(root, file.Path));
        }

        return null;
    }

    private static void RejectUnknown(IEnumerable<string> keys, Dictionary<string, ParameterDescriptor> known,
        IReadOnlyList<ParameterDescriptor> parameters, Func<string, string> display, string where)
    {
        var unknown = keys.FirstOrDefault(key => !known.ContainsKey(ParameterDescriptor.Normalise(key)));
        if (unknown is not null)
            throw BuildFailure.BadInput(
                $"Unknown parameter {display(unknown)}{where}.{ClosestMatches.Suggest(unknown, parameters.Select(parameter => parameter.Name), "--")} See --help for the list.");
    }
}
