namespace Bun.Delivery.Model.Images;

/// <summary>A branch tag and the manifest it pointed to.</summary>
public sealed record TaggedDigest(string Tag, ImageDigest Digest);

/// <summary>
/// What a cleanup did (or, in a dry run, would do): the branch's tags deleted, those left because another branch's tag
/// points to the same manifest, and how many tags of other branches it left alone.
/// </summary>
public sealed record CleanupReport(
    string Repository,
    string Branch,
    bool DryRun,
    IReadOnlyList<TaggedDigest> Deleted,
    IReadOnlyList<TaggedDigest> KeptShared,
    int OtherTags);
