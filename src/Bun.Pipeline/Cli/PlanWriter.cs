using System.Text.Json;
using System.Text.Json.Nodes;
using Bun.Pipeline.Output;
using Bun.Pipeline.Planning;

namespace Bun.Pipeline.Cli;

/// <summary><c>--plan</c> for people and <c>--plan --json</c> for tools (the schema is documented in the README).</summary>
internal static class PlanWriter
{
    public static void WriteText(BuildOutput output, Plan plan)
    {
        output.Heading($"Plan: {plan.Running.Count()} of {plan.Targets.Count} targets run");
        var width = plan.Targets.Max(target => target.Name.Length) + 2;
        var position = 0;
        foreach (var target in plan.Targets)
        {
            var line = $"{++position,3}. {target.Name.PadRight(width)}{(target.Decision == Decision.Run ? "run " : "skip")}";
            if (target.Reason is not null)
                line += $"  {target.Reason}";
            if (target.Decision == Decision.Run)
                output.Info(line);
            else
                output.Dim(line);
            if (target.DependsOn.Count > 0)
                output.Dim($"     {"".PadRight(width)}after {string.Join(", ", target.DependsOn)}");
            foreach (var link in target.Conditional)
                output.Dim($"     {"".PadRight(width)}{(link.Applies ? "+" : "-")} {link.Target}: {link.Condition} is {(link.Applies ? "true" : "false")}");
        }
    }

    /// <summary>The plan as JSON, secrets masked before the text is escaped.</summary>
    public static string Json(Plan plan, JsonObject context, SecretMasker secrets)
    {
        var document = new JsonObject
        {
            ["context"] = context,
            ["targets"] = new JsonArray(plan.Targets.Select(target => (JsonNode)new JsonObject
            {
                ["name"] = target.Name,
                ["decision"] = target.Decision == Decision.Run ? "run" : "skip",
                ["reason"] = target.Reason,
                ["dependsOn"] = new JsonArray(target.DependsOn.Select(name => (JsonNode)JsonValue.Create(name)).ToArray()),
                ["conditional"] = new JsonArray(target.Conditional.Select(link => (JsonNode)new JsonObject
                {
                    ["kind"] = link.Kind,
                    ["target"] = link.Target,
                    ["condition"] = link.Condition,
                    ["applies"] = link.Applies,
                }).ToArray()),
            }).ToArray()),
        };
        return secrets.Apply(document)!.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }
}
