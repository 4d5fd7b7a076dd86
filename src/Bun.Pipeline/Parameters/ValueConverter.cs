using System.Globalization;
using Bun.Pipeline.Failures;

namespace Bun.Pipeline.Parameters;

/// <summary>
/// Turns raw text values into a parameter's type, with an error that names the parameter and the source.
/// Errors quote the bad value, except for a secret: it is not registered with the masker until it has been converted.
/// </summary>
public static class ValueConverter
{
    public static object? Convert(IReadOnlyList<string> values, Type type, string parameter, string source, AbsolutePath root, bool secret = false)
    {
        if (type.IsArray)
        {
            var element = type.GetElementType()!;
            if (values is [var single])
                values = single.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var array = Array.CreateInstance(element, values.Count);
            for (var i = 0; i < values.Count; i++)
                array.SetValue(ConvertOne(values[i], element, parameter, source, root, secret), i);
            return array;
        }

        var target = Nullable.GetUnderlyingType(type) ?? type;
        if (values.Count == 0)
            return target == typeof(bool) ? true : throw Bad(parameter, source, "needs a value");
        if (values.Count > 1)
            throw Bad(parameter, source, $"takes one value, got {values.Count}{(secret ? "" : $": {string.Join(" ", values)}")}");
        return ConvertOne(values[0], target, parameter, source, root, secret);
    }

    private static object ConvertOne(string text, Type type, string parameter, string source, AbsolutePath root, bool secret)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        var invariant = CultureInfo.InvariantCulture;
        object? value = target switch
        {
            _ when target == typeof(string) => text,
            _ when target == typeof(bool) => ParseBool(text),
            _ when target == typeof(int) => int.TryParse(text, NumberStyles.Integer, invariant, out var number) ? number : null,
            _ when target == typeof(long) => long.TryParse(text, NumberStyles.Integer, invariant, out var number) ? number : null,
            _ when target == typeof(double) => double.TryParse(text, NumberStyles.Float, invariant, out var number) ? number : null,
            _ when target == typeof(decimal) => decimal.TryParse(text, NumberStyles.Number, invariant, out var number) ? number : null,
            _ when target == typeof(AbsolutePath) => AbsolutePath.From(text, root),
            { IsEnum: true } => ParseEnum(text, target),
            _ => throw new BuildFailure($"Parameter --{parameter} has type {target.Name}, which parameters do not support.", ExitCodes.BadInput),
        };
        return value ?? throw Bad(parameter, source, $"{(secret ? "the value (not shown: secret)" : $"'{text}'")} is not {Describe(target)}");
    }

    public static string Describe(Type type)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        if (target.IsArray)
            return $"a list of {Describe(target.GetElementType()!)} values";
        if (target.IsEnum)
            return $"one of {string.Join(", ", EnumNames(target))}";
        return target.Name switch
        {
            nameof(Boolean) => "true or false",
            nameof(Int32) or nameof(Int64) => "a whole number",
            nameof(Double) or nameof(Decimal) => "a number",
            nameof(AbsolutePath) => "a path",
            _ => "text",
        };
    }

    public static IEnumerable<string> EnumNames(Type type) => Enum.GetNames(type).Select(ParameterDescriptor.Kebab).Select(name => name.Replace('-', '_'));

    private static object? ParseBool(string text) => text.ToLowerInvariant() switch
    {
        "true" or "yes" or "on" or "1" => true,
        "false" or "no" or "off" or "0" => false,
        _ => null,
    };

    private static object? ParseEnum(string text, Type type) =>
        Enum.GetNames(type).FirstOrDefault(name => ParameterDescriptor.Normalise(name) == ParameterDescriptor.Normalise(text)) is { } match
            ? Enum.Parse(type, match)
            : null;

    private static BuildFailure Bad(string parameter, string source, string problem) =>
        BuildFailure.BadInput($"Parameter --{parameter} (from {source}): {problem}.");
}
