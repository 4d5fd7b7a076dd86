using System.Text.Json.Nodes;

namespace Bun.Delivery.Tests.Integrations.Argo.Simulator;

/// <summary>RFC 7386 JSON merge patch, as Argo CD applies <c>patchType: merge</c>.</summary>
public static class MergePatch
{
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
            return patch?.DeepClone();
        var result = target is JsonObject targetObject ? (JsonObject)targetObject.DeepClone() : new JsonObject();
        foreach (var (key, value) in patchObject)
        {
            if (value is null)
                result.Remove(key);
            else
                result[key] = Apply(result[key], value);
        }

        return result;
    }
}
