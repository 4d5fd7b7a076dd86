using Bun.Pipeline.Failures;
using Bun.Pipeline.Output;
using Bun.Pipeline.Planning;

namespace Bun.Pipeline.Parameters;

/// <summary>A parameter's value and where it came from, as <c>--help</c> shows it.</summary>
public sealed record ResolvedParameter(ParameterDescriptor Descriptor, object? Value, string Source);

/// <summary>
/// Resolves every parameter: command line, then environment (<c>BUN_&lt;NAME&gt;</c>, matched ignoring case and
/// underscores after the prefix, then the aliases the parameter declares), then parameters files (later profiles win),
/// then the member's initial value. No other variable binds, so one exported for another tool changes nothing.
/// Before any value is converted (and so before any error can quote one), the passwords in URL-shaped values are
/// registered as secrets; a <see cref="SecretAttribute"/> parameter's value once it is converted.
/// </summary>
public static class ParameterResolver
{
    public static IReadOnlyList<ResolvedParameter> Resolve(
        IReadOnlyList<ParameterDescriptor> parameters,
        object build,
        IReadOnlyDictionary<string, IReadOnlyList<string>> commandLine,
        IReadOnlyDictionary<string, string> environment,
        IReadOnlyList<ParameterFile> files,
        AbsolutePath root,
        Action<string> registerSecret)
    {
        var byKey = parameters.ToDictionary(parameter => ParameterDescriptor.Normalise(parameter.Name));
        RejectUnknown(commandLine.Keys, byKey, parameters, key => $"--{key}", "");
        foreach (var file in files)
            RejectUnknown(file.Values.Keys, byKey, parameters, key => key, $" in {file.Path}");

        var prefixed = new Dictionary<string, (string Name, string Value)>();
        foreach (var (name, value) in environment.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            if (name.StartsWith(ParameterDescriptor.EnvironmentPrefix, StringComparison.OrdinalIgnoreCase))
                prefixed.TryAdd(ParameterDescriptor.Normalise(name[ParameterDescriptor.EnvironmentPrefix.Length..]), (name, value));
        }

        var found = parameters.Select(parameter =>
        {
            var key = ParameterDescriptor.Normalise(parameter.Name);
            return (Parameter: parameter, Raw: FromCommandLine(commandLine, key)
                ?? FromEnvironment(prefixed, key)
                ?? FromAliases(environment, parameter.EnvironmentAliases)
                ?? FromFiles(files, key, root));
        }).ToList();
        var rawTexts = commandLine.Values.Concat(files.SelectMany(file => file.Values.Values))
            .Concat(found.Where(pair => pair.Raw is not null).Select(pair => pair.Raw!.Value.Values));
        foreach (var password in rawTexts.SelectMany(texts => texts).SelectMany(UrlCredentials.In).Distinct())
            registerSecret(password);

        return found.Select(pair =>
        {
            var (parameter, raw) = pair;
            if (raw is null)
                return new ResolvedParameter(parameter, parameter.Read(build), "default");

            var value = ValueConverter.Convert(raw.Value.Values, parameter.Type, parameter.Name, raw.Value.Source, root, parameter.IsSecret);
            if (parameter.IsSecret)
            {
                foreach (var secret in SecretTexts(value))
                    registerSecret(secret);
            }

            parameter.Write(build, value);
            return new ResolvedParameter(parameter, value, raw.Value.Source);
        }).ToList();
    }

    /// <summary>
    /// The variables of <paramref name="environment"/> that hold a secret of the build: every one that sets a secret
    /// parameter, and every one whose URL carries a password. Tools never inherit them (<see cref="Processes.ProcessRunner.Withhold"/>).
    /// </summary>
    public static IReadOnlyList<string> SecretVariables(IReadOnlyList<ParameterDescriptor> parameters, IReadOnlyDictionary<string, string> environment) =>
        parameters.SelectMany(parameter => environment
                .Where(variable => parameter.IsSetBy(variable.Key) && (parameter.IsSecret || UrlCredentials.In(variable.Value).Any()))
                .Select(variable => variable.Key)
                .Concat(parameter.IsSecret ? parameter.EnvironmentNames : []))
            .Distinct(StringComparer.Ordinal)
            .ToList();

    // A secret list (string[]) is masked element by element; its ToString() would only be the type name.
    private static IEnumerable<string> SecretTexts(object? value) => value switch
    {
        null => [],
        string text => [text],
        System.Collections.IEnumerable values => values.Cast<object?>().Select(item => item?.ToString()).OfType<string>(),
        _ => [value.ToString() ?? ""],
    };

    private static (IReadOnlyList<string> Values, string Source)? FromAliases(IReadOnlyDictionary<string, string> environment, IReadOnlyList<string> aliases)
    {
        foreach (var alias in aliases)
        {
            var variable = environment.Where(pair => string.Equals(pair.Key, alias, StringComparison.OrdinalIgnoreCase))
                .OrderBy(pair => pair.Key, StringComparer.Ordinal).FirstOrDefault();
            if (variable.Value is { Length: > 0 } value)
                return ([value], $"environment variable {variable.Key}");
        }

        return null;
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
