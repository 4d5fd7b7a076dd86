using System.Text.Json;
using System.Text.Json.Nodes;
using Bun.Pipeline.Parameters;
using Bun.Pipeline.Targets;

namespace Bun.Pipeline.Cli;

/// <summary>Generates <c>.nuke/build.schema.json</c> so editors complete <c>parameters.json</c>; rewritten only when it changes.</summary>
public static class SchemaWriter
{
    public static string Generate(IReadOnlyList<TargetSpec> targets, IReadOnlyList<ParameterDescriptor> parameters)
    {
        var properties = new JsonObject { ["$schema"] = new JsonObject { ["type"] = "string" } };
        foreach (var parameter in parameters)
        {
            var property = TypeOf(parameter.Type);
            property["description"] = parameter.IsSecret ? $"{parameter.Description} (secret: prefer {string.Join(" or ", parameter.EnvironmentNames)})" : parameter.Description;
            properties[Key(parameter)] = property;
        }

        var schema = new JsonObject
        {
            ["$schema"] = "http://json-schema.org/draft-07/schema#",
            ["title"] = "Bun build parameters",
            ["type"] = "object",
            ["additionalProperties"] = false,
            ["definitions"] = new JsonObject
            {
                ["Target"] = new JsonObject
                {
                    ["type"] = "string",
                    ["enum"] = new JsonArray(targets.Select(target => (JsonNode)JsonValue.Create(target.Name)).ToArray()),
                },
            },
            ["properties"] = properties,
        };
        return schema.ToJsonString(new JsonSerializerOptions { WriteIndented = true }).ReplaceLineEndings("\n") + "\n";
    }

    /// <summary>
    /// A parameter's key in parameters.json: the member's name, unless the parameter is named otherwise (--base-image on a
    /// member that can't be called BaseImage, because a target is), since keys bind by the parameter's name.
    /// </summary>
    public static string Key(ParameterDescriptor parameter) =>
        ParameterDescriptor.Normalise(parameter.MemberName) == ParameterDescriptor.Normalise(parameter.Name)
            ? parameter.MemberName
            : string.Concat(parameter.Name.Split('-', StringSplitOptions.RemoveEmptyEntries).Select(part => char.ToUpperInvariant(part[0]) + part[1..]));

    public static void Update(AbsolutePath root, IReadOnlyList<TargetSpec> targets, IReadOnlyList<ParameterDescriptor> parameters)
    {
        var path = root / ".nuke" / "build.schema.json";
        var schema = Generate(targets, parameters);
        if (!File.Exists(path) || File.ReadAllText(path) != schema)
            File.WriteAllText(path, schema);
    }

    private static JsonObject TypeOf(Type type)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        if (target.IsArray)
            return new JsonObject { ["type"] = "array", ["items"] = TypeOf(target.GetElementType()!) };
        if (target.IsEnum)
            return new JsonObject
            {
                ["type"] = "string",
                ["enum"] = new JsonArray(ValueConverter.EnumNames(target).Select(name => (JsonNode)JsonValue.Create(name)).ToArray()),
            };
        return new JsonObject
        {
            ["type"] = target == typeof(bool) ? "boolean"
                : target == typeof(int) || target == typeof(long) ? "integer"
                : target == typeof(double) || target == typeof(decimal) ? "number"
                : "string",
        };
    }
}
