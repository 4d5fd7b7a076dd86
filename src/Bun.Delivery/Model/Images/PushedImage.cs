using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bun.Delivery.Model.Images;

/// <summary>
/// An image the registry holds, by tag and by the manifest digest it answered with. Deploys pin <see cref="PinnedReference"/>.
/// Only a finished push produces one, so a half-pushed image is never recorded.
/// </summary>
/// <param name="Local">
/// No registry holds it: PushImage ran on a laptop without <c>--registry</c>, and <see cref="Digest"/> is the image's content
/// digest in the local engine (its id). A deploy still pins it, marked as local, but no cluster could pull it.
/// </param>
public sealed record PushedImage(string Repository, string Tag, string Digest, bool Local = false)
{
    public string PinnedReference => $"{Repository}@{Digest}";

    /// <summary>The GitHub Actions step output PushImage sets to <see cref="PinnedReference"/>.</summary>
    public const string StepOutput = "image";

    /// <summary>The record of an image that stays in the local engine: <c>&lt;app&gt;@&lt;content digest&gt;</c>.</summary>
    public static PushedImage InLocalEngine(string app, string tag, string contentDigest) => new(app, tag, contentDigest, Local: true);

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
