using System.Collections.Concurrent;
using Bun.Delivery.Model.Branches;
using Bun.Delivery.Model.Images;
using Bun.Pipeline.Output;

namespace Bun.Delivery.Integrations.Registry;

/// <summary>
/// Deletes a merged feature or fix branch's image tags (DESIGN §6) through the registry API: exactly
/// <c>feature-&lt;slug&gt;-&lt;sha7&gt;</c> (or <c>fix-…</c>), never another branch's tags, never a manifest that a kept tag
/// still points to. Running it again finds nothing and succeeds.
/// </summary>
public sealed class FeatureImageCleanup(RegistryClient registry, int parallelism = FeatureImageCleanup.DefaultParallelism)
{
    public const int DefaultParallelism = 32;

    public async Task<CleanupReport> RunAsync(Branch branch, bool dryRun, BuildOutput output, CancellationToken cancellation)
    {
        var prefix = ImageTags.BranchPrefix(branch);
        var tags = await registry.ListTagsAsync(cancellation);
        var branchTags = tags.Where(tag => ImageTags.BelongsTo(branch, tag)).ToList();
        var otherTags = tags.Except(branchTags).ToList();
        if (branchTags.Count == 0)
        {
            output.Info($"{registry.Repository} has no {prefix}* tags of {branch}: nothing to delete ({otherTags.Count} other tags left alone).");
            return new CleanupReport(registry.Repository.Name, branch.Name, dryRun, [], [], otherTags.Count);
        }

        var digests = await ResolveAsync(tags, cancellation);
        var keptBy = otherTags.Where(digests.ContainsKey).GroupBy(tag => digests[tag]).ToDictionary(group => group.Key, group => group.First());
        var candidates = branchTags.Where(digests.ContainsKey).Select(tag => new TaggedDigest(tag, digests[tag])).ToList();
        var shared = candidates.Where(candidate => keptBy.ContainsKey(candidate.Digest)).ToList();
        var doomed = candidates.Except(shared).ToList();

        foreach (var tag in shared)
            output.Warning($"Keeping {tag.Tag}: {keptBy[tag.Digest]} points to the same manifest ({tag.Digest.Short}), and deleting it would delete both.");
        if (dryRun)
        {
            foreach (var tag in doomed)
                output.Info($"Would delete {tag.Tag} ({tag.Digest.Short})");
            output.Info($"Dry run: {doomed.Count} of {tags.Count} tags of {registry.Repository} would be deleted; nothing was.");
            return new CleanupReport(registry.Repository.Name, branch.Name, true, doomed, shared, otherTags.Count);
        }

        var deleted = await DeleteAsync(doomed, output, cancellation);
        output.Success($"Deleted {deleted.Count} {prefix}* tags of {branch} from {registry.Repository}; {otherTags.Count} other tags left alone.");
        return new CleanupReport(registry.Repository.Name, branch.Name, false, deleted, shared, otherTags.Count);
    }

    private async Task<IReadOnlyDictionary<string, ImageDigest>> ResolveAsync(IReadOnlyList<string> tags, CancellationToken cancellation)
    {
        var digests = new ConcurrentDictionary<string, ImageDigest>();
        await Parallel.ForEachAsync(tags, Options(cancellation), async (tag, token) =>
        {
            // A tag gone between listing and resolving was deleted by someone else: nothing to keep or delete.
            if (await registry.ResolveAsync(tag, token) is { } digest)
                digests[tag] = digest;
        });
        return digests;
    }

    private async Task<IReadOnlyList<TaggedDigest>> DeleteAsync(IReadOnlyList<TaggedDigest> doomed, BuildOutput output, CancellationToken cancellation)
    {
        // One DELETE per manifest: it removes every tag pointing to it.
        var deleted = new ConcurrentBag<TaggedDigest>();
        await Parallel.ForEachAsync(doomed.GroupBy(tag => tag.Digest), Options(cancellation), async (group, token) =>
        {
            var gone = await registry.DeleteAsync(group.Key, token);
            foreach (var tag in group)
            {
                deleted.Add(tag);
                output.Info($"{(gone ? "Deleted" : "Already gone:")} {tag.Tag} ({tag.Digest.Short})");
            }
        });
        return deleted.OrderBy(tag => tag.Tag, StringComparer.Ordinal).ToList();
    }

    private ParallelOptions Options(CancellationToken cancellation) => new() { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellation };
}
