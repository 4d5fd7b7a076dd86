using System.Globalization;

namespace Bun.Delivery.Model.Images;

/// <summary>The OCI annotations every Bun image carries (DESIGN §6); the source only when it is known (<see cref="SourceUrl"/>).</summary>
public static class ImageLabels
{
    public const string Revision = "org.opencontainers.image.revision";
    public const string Source = "org.opencontainers.image.source";
    public const string Version = "org.opencontainers.image.version";
    public const string Created = "org.opencontainers.image.created";

    /// <summary>Bun's own label on an image built from a work tree with uncommitted changes: the files that differ from the revision.</summary>
    public const string Dirty = "dev.bun.dirty";

    /// <summary>The labels of an image built from uncommitted changes: <see cref="Dirty"/> names the changed files (at most 20).</summary>
    public static IReadOnlyDictionary<string, string> WithDirty(IReadOnlyDictionary<string, string> labels, IReadOnlyList<string> changedFiles) =>
        changedFiles.Count == 0
            ? labels
            : new Dictionary<string, string>(labels) { [Dirty] = string.Join(' ', changedFiles.Take(20)) + (changedFiles.Count > 20 ? " …" : "") };

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
