using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Bun.Delivery.Tests.Integrations.GitOps;

/// <summary>The project's own JSON schemas of the Argo Rollouts resources it renders (Integrations/GitOps/Schemas/), and what they find wrong.</summary>
internal static class ManifestSchemas
{
    public static JsonSchema Rollout { get; } = Load("rollout.schema.json");
    public static JsonSchema AnalysisTemplate { get; } = Load("analysis-template.schema.json");

    /// <summary>Every error, as "location: message"; empty when the resource is valid.</summary>
    public static IReadOnlyList<string> Problems(this JsonSchema schema, JsonNode resource)
    {
        var results = schema.Evaluate(JsonSerializer.SerializeToElement(resource), new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (results.IsValid)
            return [];
        return (results.Details ?? [])
            .Where(detail => detail.Errors is { Count: > 0 })
            .SelectMany(detail => detail.Errors!.Select(error => $"{detail.InstanceLocation}: {error.Value}"))
            .Distinct()
            .ToList();
    }

    private static JsonSchema Load(string file) => JsonSchema.FromText(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Integrations", "GitOps", "Schemas", file)));
}
