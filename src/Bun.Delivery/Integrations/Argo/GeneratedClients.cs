using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bun.Delivery.Integrations.Argo.Generated;

// Requests leave out what Bun doesn't set, as the argocd CLI does, instead of sending explicit nulls.
internal partial class SessionClient
{
    static partial void UpdateJsonSerializerSettings(JsonSerializerOptions settings) => settings.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
}

internal partial class ApplicationClient
{
    static partial void UpdateJsonSerializerSettings(JsonSerializerOptions settings) => settings.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
}
