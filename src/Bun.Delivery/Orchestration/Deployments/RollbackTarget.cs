using Bun.Delivery.Integrations.GitOps;
using Bun.Delivery.Model.Images;
using Bun.Pipeline.Failures;

namespace Bun.Delivery.Orchestration.Deployments;

/// <summary>Which deployment a rollback restores (DESIGN §8). Nothing is written here, so a refusal leaves the repository unchanged.</summary>
public static class RollbackTarget
{
    /// <summary>
    /// With <paramref name="toVersion"/>: the newest deployment of that version, preferring a verified one. Without: the
    /// newest earlier deployment that was verified healthy, runs another version and image than the current one, and whose image no
    /// later rollback rolled back from, so that rolling back twice goes further back (v3 → v2 → v1), never forth again.
    /// <paramref name="acceptUnverified"/> also lets unverified (never checked, not failed) deployments qualify, for
    /// setups without Argo CD, where nothing can be verified.
    /// </summary>
    public static DeploymentRecord Choose(EnvironmentHistory history, string? toVersion, bool acceptUnverified)
    {
        var environment = history.Environment;
        if (toVersion is not null)
            return ChooseVersion(history, toVersion);

        var current = history.Current
                      ?? throw new BuildFailure($"Nothing to roll back to: {environment} has no deployment in the GitOps history yet. The GitOps repository is unchanged.");
        var rolledBackFrom = RolledBackFrom(history, current);
        var target = history.Before(current).FirstOrDefault(candidate =>
            candidate.Deployment.Image.Digest != current.Deployment.Image.Digest
            && candidate.Deployment.Version != current.Deployment.Version
            && !rolledBackFrom.Contains(candidate.Commit.Sha)
            && Qualifies(candidate, acceptUnverified));
        return target ?? throw new BuildFailure(
            $"Nothing to roll back to: {environment} runs {Describe(current)}, and no earlier deployment of {environment} with another version and image was " +
            $"{(acceptUnverified ? "made without failing its verification" : "verified healthy")}" +
            $"{(rolledBackFrom.Count == 0 ? "" : " that was not rolled back from since")}. The GitOps repository is unchanged. " +
            $"Earlier deployments: {List(history.Before(current), rolledBackFrom)}. Pick one explicitly with --to-version <version>.");
    }

    /// <summary>
    /// The deployments older than <paramref name="current"/> whose image a newer rollback rolled back from (its
    /// <c>Bun-Replaces</c> named a deployment of that image), by commit. A deployment made after such a rollback counts again.
    /// </summary>
    private static HashSet<string> RolledBackFrom(EnvironmentHistory history, DeploymentRecord current)
    {
        var byCommit = history.Deployments.ToDictionary(record => record.Commit.Sha);
        var digests = new HashSet<ImageDigest>();
        var skipped = new HashSet<string>();
        var older = false;
        foreach (var record in history.Deployments)
        {
            if (older && digests.Contains(record.Deployment.Image.Digest))
                skipped.Add(record.Commit.Sha);
            older |= record == current;
            if (record.Deployment.Replaces is { } replaced && byCommit.TryGetValue(replaced.Sha, out var rolledBack))
                digests.Add(rolledBack.Deployment.Image.Digest);
        }

        return skipped;
    }

    private static DeploymentRecord ChooseVersion(EnvironmentHistory history, string version)
    {
        var environment = history.Environment;
        var candidates = history.Deployments.Where(candidate => candidate.Deployment.Version == version).ToList();
        var target = candidates.FirstOrDefault(candidate => candidate.IsVerified) ?? candidates.FirstOrDefault()
                     ?? throw BuildFailure.BadInput(
                         $"{environment} never ran version '{version}' (--to-version), so its digest is unknown. Versions in its GitOps history: {List(history.Deployments, [])}.");
        // A hand edit on top means nobody knows what runs now; the operator's explicit choice is the way out of that.
        var current = history.Problem is null ? history.Current : null;
        if (current is not null && (current.Deployment.Image.Digest == target.Deployment.Image.Digest || current.Deployment.Version == version))
            throw BuildFailure.BadInput($"{environment} already runs {version} ({current.Deployment.Image.Digest.Short}); there is nothing to roll back. The GitOps repository is unchanged.");
        return target;
    }

    private static bool Qualifies(DeploymentRecord candidate, bool acceptUnverified) =>
        candidate.Verification == Verification.Healthy || (acceptUnverified && candidate.Verification == Verification.Unverified);

    private static string Describe(DeploymentRecord record) => $"{record.Deployment.Version} ({record.Deployment.Image.Digest.Short})";

    private static string List(IEnumerable<DeploymentRecord> records, HashSet<string> rolledBackFrom)
    {
        var described = records.Take(10)
            .Select(record => $"{Describe(record)} {Verified(record.Verification)}{(rolledBackFrom.Contains(record.Commit.Sha) ? ", rolled back from" : "")}")
            .ToList();
        return described.Count == 0 ? "none" : string.Join(", ", described);
    }

    private static string Verified(Verification verification) => verification switch
    {
        Verification.Healthy => "verified",
        Verification.Failed => "failed",
        _ => "unverified",
    };
}
