using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bun.Delivery.Model.Images;

/// <summary>
/// An image the registry holds, by tag and by the manifest digest it answered with. Deploys pin <see cref="PinnedReference"/>.
/// Only a finished push produces one, so a half-pushed image is never recorded.
/// </summary>
public sealed record PushedImage(string Repository, string Tag, string Digest)
{
    public string PinnedReference => $"{Repository}@{Digest}";

    /// <summary>The GitHub Actions step output PushImage sets to <see cref="PinnedReference"/>.</summary>
    public const string StepOutput = "image";

    /// <summary>Where PushImage records the image it pushed, for the deploy targets of the same checkout: <c>.nuke/temp/pushed-image.json</c>.</summary>
    public static string RecordPath(string root) => Path.Combine(root, ".nuke", "temp", "pushed-image.json");

    public async Task WriteAsync(string path, CancellationToken cancellation)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temporary = path + ".partial";
        await File.WriteAllTextAsync(temporary, JsonSerializer.Serialize(this, PushedImageJson.Default.PushedImage), cancellation);
        File.Move(temporary, path, overwrite: true);
    }

    public static async Task<PushedImage?> ReadAsync(string path, CancellationToken cancellation) => File.Exists(path)
        ? JsonSerializer.Deserialize(await File.ReadAllTextAsync(path, cancellation), PushedImageJson.Default.PushedImage)
        : null;
}

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(PushedImage))]
internal sealed partial class PushedImageJson : JsonSerializerContext;
