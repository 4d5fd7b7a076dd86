using System.Diagnostics.CodeAnalysis;
using Bun.Delivery.Model.Images;
using Bun.Pipeline.Failures;

namespace Bun.Delivery.Integrations.GitOps;

/// <summary>An image by digest, <c>ghcr.io/bun/bun-api@sha256:…</c>: what an overlay pins and a <c>Bun-Image</c> trailer records.</summary>
public sealed record PinnedImage(string Repository, ImageDigest Digest)
{
    public string Reference => $"{Repository}@{Digest.Value}";

    /// <summary>Reads <c>repository@sha256:&lt;64 hex&gt;</c>; a tag instead of a digest is refused, since a tag can move.</summary>
    public static PinnedImage Parse(string reference) => TryParse(reference, out var image)
        ? image
        : throw BuildFailure.BadInput(
            $"'{reference}' is not an image pinned by digest: expected <repository>@sha256:<64 hex>, e.g. ghcr.io/bun/bun-api@sha256:… as PushImage reports it.");

    public static bool TryParse(string reference, [NotNullWhen(true)] out PinnedImage? image)
    {
        image = null;
        var at = reference.LastIndexOf('@');
        if (at <= 0 || reference[..at].Any(char.IsWhiteSpace))
            return false;
        try
        {
            image = new PinnedImage(reference[..at], new ImageDigest(reference[(at + 1)..]));
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    public override string ToString() => Reference;
}
