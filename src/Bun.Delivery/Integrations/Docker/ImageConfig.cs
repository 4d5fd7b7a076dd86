using System.Globalization;
using System.Text.Json;
using Docker.DotNet.Models;

namespace Bun.Delivery.Integrations.Docker;

/// <summary>
/// The image config (the JSON whose sha256 is the image id) of a base plus assembled layers. It is written with every
/// key in a fixed order and holds no time but the request's, so equal inputs give the same bytes and the same id.
/// From the base it keeps the platform, the environment, labels, exposed ports, volumes and stop signal, as
/// <c>FROM</c> does; its command, entrypoint, user and working directory are replaced, as <c>ENTRYPOINT</c> replaces
/// an inherited <c>CMD</c>.
/// </summary>
internal static class ImageConfig
{
    public static byte[] Write(string baseReference, ImageInspectResponse baseImage, LayeredImageRequest request, IReadOnlyList<(ImageLayer Layer, string DiffId)> layers)
    {
        var baseConfig = baseImage.Config ?? new Config();
        var baseLayers = baseImage.RootFS?.Layers ?? [];
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("architecture", baseImage.Architecture);
            json.WriteStartObject("config");
            WriteStrings(json, "Entrypoint", request.Container.Entrypoint);
            WriteStrings(json, "Env", Environment(baseConfig.Env ?? [], request.Container.Environment));
            WriteSet(json, "ExposedPorts", (baseConfig.ExposedPorts?.Keys ?? []).Concat(request.Container.Ports.Select(port => $"{port}/tcp")));
            WriteMap(json, "Labels", Merge(baseConfig.Labels, request.Labels));
            if (!string.IsNullOrEmpty(baseConfig.StopSignal))
                json.WriteString("StopSignal", baseConfig.StopSignal);
            json.WriteString("User", request.Container.User);
            if (baseConfig.Volumes is { Count: > 0 } volumes)
                WriteSet(json, "Volumes", volumes.Keys);
            json.WriteString("WorkingDir", request.Container.WorkingDirectory);
            json.WriteEndObject();
            json.WriteString("created", Time(request.Created));

            json.WriteStartArray("history");
            for (var index = 0; index < baseLayers.Count; index++)
                WriteHistory(json, Time(baseImage.Created), $"layer {index + 1}/{baseLayers.Count} of the base image {baseReference}");
            foreach (var (layer, _) in layers)
                WriteHistory(json, Time(request.Created), layer.Description);
            json.WriteEndArray();

            json.WriteString("os", baseImage.Os);
            json.WriteStartObject("rootfs");
            WriteStrings(json, "diff_ids", baseLayers.Concat(layers.Select(layer => layer.DiffId)));
            json.WriteString("type", "layers");
            json.WriteEndObject();
            if (!string.IsNullOrEmpty(baseImage.Variant))
                json.WriteString("variant", baseImage.Variant);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    public static string Time(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Time(DateTime time) =>
        Time(new DateTimeOffset(time.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(time, DateTimeKind.Utc) : time.ToUniversalTime()));

    // The base's variables in their order, a replaced one in its place, then the new ones by name.
    private static IEnumerable<string> Environment(IEnumerable<string> baseVariables, IReadOnlyDictionary<string, string> added)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var variable in baseVariables)
        {
            var name = variable.Split('=', 2)[0];
            used.Add(name);
            yield return added.TryGetValue(name, out var value) ? $"{name}={value}" : variable;
        }

        foreach (var (name, value) in added.Where(pair => !used.Contains(pair.Key)).OrderBy(pair => pair.Key, StringComparer.Ordinal))
            yield return $"{name}={value}";
    }

    private static SortedDictionary<string, string> Merge(IDictionary<string, string>? baseLabels, IReadOnlyDictionary<string, string> labels)
    {
        var merged = new SortedDictionary<string, string>(baseLabels ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        foreach (var (key, value) in labels)
            merged[key] = value;
        return merged;
    }

    private static void WriteHistory(Utf8JsonWriter json, string created, string createdBy)
    {
        json.WriteStartObject();
        json.WriteString("created", created);
        json.WriteString("created_by", createdBy);
        json.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
            json.WriteStringValue(value);
        json.WriteEndArray();
    }

    private static void WriteSet(Utf8JsonWriter json, string name, IEnumerable<string> keys)
    {
        json.WriteStartObject(name);
        foreach (var key in keys.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            json.WriteStartObject(key);
            json.WriteEndObject();
        }

        json.WriteEndObject();
    }

    private static void WriteMap(Utf8JsonWriter json, string name, SortedDictionary<string, string> values)
    {
        json.WriteStartObject(name);
        foreach (var (key, value) in values)
            json.WriteString(key, value);
        json.WriteEndObject();
    }
}
