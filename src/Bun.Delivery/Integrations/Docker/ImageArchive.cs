using System.Formats.Tar;
using System.Text.Json;

namespace Bun.Delivery.Integrations.Docker;

/// <summary>
/// The tar that the engine's <c>POST /images/load</c> reads (the format of <c>docker save</c>): <c>manifest.json</c>,
/// the config as <c>&lt;id&gt;.json</c> and each layer as <c>&lt;diff id&gt;/layer.tar</c>. A layer the engine already
/// holds under the same chain may be left out: the engine reads a layer's file only when it lacks that layer.
/// </summary>
internal static class ImageArchive
{
    private const UnixFileMode Readable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    public static async Task WriteAsync(
        Stream destination, string imageId, byte[] config, IReadOnlyList<string> diffIds, IReadOnlyDictionary<string, string> layerFiles,
        IReadOnlyList<string> references, CancellationToken cancellation)
    {
        var configName = Hex(imageId) + ".json";
        var manifest = Manifest(configName, references, diffIds);
        await using var writer = new TarWriter(destination, TarEntryFormat.Ustar, leaveOpen: true);
        await WriteBytesAsync(writer, configName, config, cancellation);
        foreach (var diffId in diffIds.Where(layerFiles.ContainsKey).Distinct(StringComparer.Ordinal))
        {
            await using var data = new FileStream(layerFiles[diffId], FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
            await writer.WriteEntryAsync(new UstarTarEntry(TarEntryType.RegularFile, LayerName(diffId)) { Mode = Readable, DataStream = data }, cancellation);
        }

        await WriteBytesAsync(writer, "manifest.json", manifest, cancellation);
    }

    private static byte[] Manifest(string configName, IReadOnlyList<string> references, IReadOnlyList<string> diffIds)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            json.WriteStartObject();
            json.WriteString("Config", configName);
            json.WriteStartArray("RepoTags");
            foreach (var reference in references)
                json.WriteStringValue(reference);
            json.WriteEndArray();
            json.WriteStartArray("Layers");
            foreach (var diffId in diffIds)
                json.WriteStringValue(LayerName(diffId));
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();
        }

        return buffer.ToArray();
    }

    private static string LayerName(string diffId) => Hex(diffId) + "/layer.tar";

    private static string Hex(string digest) => digest["sha256:".Length..];

    private static async Task WriteBytesAsync(TarWriter writer, string name, byte[] bytes, CancellationToken cancellation)
    {
        using var data = new MemoryStream(bytes);
        await writer.WriteEntryAsync(new UstarTarEntry(TarEntryType.RegularFile, name) { Mode = Readable, DataStream = data }, cancellation);
    }
}
