using System.Text.Json;
using System.Text.Json.Nodes;
using Bun.Pipeline.Output;
using Bun.Pipeline.Planning;
using Bun.Pipeline.Prerequisites;
using Bun.Pipeline.Targets;

namespace Bun.Pipeline.Cli;

/// <summary><c>--plan</c> for people and <c>--plan --json</c> for tools (the schema is documented in the README).</summary>
internal static class PlanWriter
{
    public static void WriteText(BuildOutput output, Plan plan, PrerequisiteReport prerequisites)
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
            foreach (var need in target.Spec.Needs)
            {
                var status = prerequisites.StatusOf(target, need);
                var needLine = $"     {"".PadRight(width)}needs {need.Name}: {StateText(status.State)}{(status.Detail is null ? "" : $" ({status.Detail})")}";
                if (status.State == NeedState.Missing)
                    output.Warning(needLine);
                else
                    output.Dim(needLine);
            }
        }

        foreach (var problem in prerequisites.Problems)
            output.Warning($"would stop before anything runs: {problem}");
    }

    /// <summary>A need's state as <c>--plan</c> prints it; <c>--plan --json</c> writes the same with underscores.</summary>
    public static string StateText(NeedState state) => state switch
    {
        NeedState.Ok => "ok",
        NeedState.Missing => "missing",
        _ => "not checked",
    };

    /// <summary>The plan as JSON, secrets masked before the text is escaped.</summary>
    public static string Json(Plan plan, PrerequisiteReport prerequisites, JsonObject context, SecretMasker secrets)
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
                ["needs"] = new JsonArray(target.Spec.Needs.Select(need => prerequisites.StatusOf(target, need)).Zip(target.Spec.Needs, (status, need) => (JsonNode)new JsonObject
                {
                    ["name"] = need.Name,
                    ["state"] = StateText(status.State).Replace(' ', '_'),
                    ["detail"] = status.Detail,
                }).ToArray()),
            }).ToArray()),
        };
        return secrets.Apply(document)!.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }
}
