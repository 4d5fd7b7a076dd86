using System.Globalization;

namespace Bun.Delivery.Model.Images;

/// <summary>The OCI annotations every Bun image carries (DESIGN §6); the source only when it is known (<see cref="SourceUrl"/>).</summary>
public static class ImageLabels
{
    public const string Revision = "org.opencontainers.image.revision";
    public const string Source = "org.opencontainers.image.source";
    public const string Version = "org.opencontainers.image.version";
    public const string Created = "org.opencontainers.image.created";

    public static IReadOnlyDictionary<string, string> For(string revision, string? source, ImageTag version, DateTimeOffset created)
    {
        var labels = new Dictionary<string, string> { [Revision] = revision };
        if (!string.IsNullOrWhiteSpace(source))
            labels[Source] = source;
        labels[Version] = version.Value;
        labels[Created] = created.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        return labels;
    }
}
