using System.Collections.Concurrent;
using Bun.Delivery.Model.Branches;
using Bun.Delivery.Model.Images;
using Bun.Pipeline.Failures;
using Bun.Pipeline.Output;

namespace Bun.Delivery.Integrations.GitHub;

/// <summary>
/// The registry cleanup's rule for ghcr.io, through GitHub's packages API: a container package version is
/// a manifest with its tags. A version whose tags all belong to the branch is deleted; one that also carries another
/// tag is kept (deleting a version deletes all its tags), and so is an untagged one. Running it again finds nothing
/// and succeeds.
/// </summary>
public sealed class PackageVersionCleanup(ContainerPackages packages, int parallelism = PackageVersionCleanup.DefaultParallelism)
{
    /// <summary>GitHub asks integrations to go easy on concurrent requests (secondary rate limits): 8 deletes at a time.</summary>
    public const int DefaultParallelism = 8;

    /// <summary><c>ghcr.io/&lt;owner&gt;/&lt;name…&gt;</c> → the package <c>&lt;name…&gt;</c> of <c>&lt;owner&gt;</c>.</summary>
    public static (string Owner, string Name) PackageOf(ImageRepository repository)
    {
        var slash = repository.Path.IndexOf('/');
        return slash > 0
            ? (repository.Path[..slash], repository.Path[(slash + 1)..])
            : throw BuildFailure.BadInput(
                $"{repository} has no owner: ghcr.io images live under a user or organization. Give --registry ghcr.io/<owner>, e.g. ghcr.io/bun.");
    }

    public async Task<CleanupReport> RunAsync(ImageRepository repository, Branch branch, bool dryRun, BuildOutput output, CancellationToken cancellation)
    {
        var prefix = ImageTags.BranchPrefix(branch);
        var (owner, name) = PackageOf(repository);
        if (await packages.ListVersionsAsync(owner, name, cancellation) is not var (package, versions))
        {
            output.Info($"GitHub has no container package {owner}/{name} (or the token cannot see it): nothing to delete.");
            return new CleanupReport(repository.Name, branch.Name, dryRun, [], [], 0);
        }

        var ours = versions.Where(version => version.Tags.Any(tag => ImageTags.BelongsTo(branch, tag))).ToList();
        var otherTags = versions.SelectMany(version => version.Tags).Count(tag => !ImageTags.BelongsTo(branch, tag));
        if (ours.Count == 0)
        {
            output.Info($"{repository} has no {prefix}* tags of {branch}: nothing to delete ({otherTags} other tags left alone).");
            return new CleanupReport(repository.Name, branch.Name, dryRun, [], [], otherTags);
        }

        var shared = ours.Where(version => !version.Tags.All(tag => ImageTags.BelongsTo(branch, tag))).ToList();
        var doomed = ours.Except(shared).ToList();
        foreach (var version in shared)
        {
            var kept = version.Tags.First(tag => !ImageTags.BelongsTo(branch, tag));
            foreach (var tag in version.Tags.Where(tag => ImageTags.BelongsTo(branch, tag)))
                output.Warning($"Keeping {tag}: {kept} points to the same manifest ({Short(version)}), and deleting it would delete both.");
        }

        if (dryRun)
        {
            foreach (var version in doomed)
                output.Info($"Would delete {string.Join(", ", version.Tags)} ({Short(version)}, version {version.Id})");
            output.Info($"Dry run: {doomed.Count} of {versions.Count} versions of {repository} would be deleted; nothing was.");
            return new CleanupReport(repository.Name, branch.Name, true, Tagged(doomed, branch), Tagged(shared, branch), otherTags);
        }

        var deleted = new ConcurrentBag<ContainerVersion>();
        await Parallel.ForEachAsync(doomed, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellation }, async (version, token) =>
        {
            var gone = await packages.DeleteAsync(package, version.Id, token);
            deleted.Add(version);
            output.Info($"{(gone ? "Deleted" : "Already gone:")} {string.Join(", ", version.Tags)} ({Short(version)}, version {version.Id})");
        });
        output.Success($"Deleted {deleted.Count} versions with {prefix}* tags of {branch} from {repository}; {otherTags} other tags left alone.");
        return new CleanupReport(repository.Name, branch.Name, false, Tagged(deleted, branch), Tagged(shared, branch), otherTags);
    }

    private static IReadOnlyList<TaggedDigest> Tagged(IEnumerable<ContainerVersion> versions, Branch branch) => versions
        .SelectMany(version => version.Tags.Where(tag => ImageTags.BelongsTo(branch, tag)).Select(tag => new TaggedDigest(tag, new ImageDigest(version.Digest))))
        .OrderBy(tag => tag.Tag, StringComparer.Ordinal)
        .ToList();

    private static string Short(ContainerVersion version) => version.Digest.StartsWith("sha256:", StringComparison.Ordinal) && version.Digest.Length > 19
        ? version.Digest["sha256:".Length..][..12]
        : version.Digest;
}
