using Bun.Delivery.Integrations.GitOps;
using Bun.Pipeline.Failures;

namespace Bun.Delivery.Orchestration.Deployments;

/// <summary>Which deployment a rollback restores (DESIGN §8). Nothing is written here, so a refusal leaves the repository unchanged.</summary>
public static class RollbackTarget
{
    /// <summary>
    /// With <paramref name="toVersion"/>: the newest deployment of that version, preferring a verified one. Without: the
    /// newest earlier deployment that was verified healthy and runs another image than the current one.
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
        var target = history.Before(current).FirstOrDefault(candidate =>
            candidate.Deployment.Image.Digest != current.Deployment.Image.Digest && Qualifies(candidate, acceptUnverified));
        return target ?? throw new BuildFailure(
            $"Nothing to roll back to: {environment} runs {Describe(current)}, and no earlier deployment of {environment} with another image was " +
            $"{(acceptUnverified ? "made without failing its verification" : "verified healthy")}. The GitOps repository is unchanged. " +
            $"Earlier deployments: {List(history.Before(current))}. Pick one explicitly with --to-version <version>.");
    }

    private static DeploymentRecord ChooseVersion(EnvironmentHistory history, string version)
    {
        var environment = history.Environment;
        var candidates = history.Deployments.Where(candidate => candidate.Deployment.Version == version).ToList();
        var target = candidates.FirstOrDefault(candidate => candidate.IsVerified) ?? candidates.FirstOrDefault()
                     ?? throw BuildFailure.BadInput(
                         $"{environment} never ran version '{version}' (--to-version), so its digest is unknown. Versions in its GitOps history: {List(history.Deployments)}.");
        // A hand edit on top means nobody knows what runs now; the operator's explicit choice is the way out of that.
        var current = history.Problem is null ? history.Current : null;
        if (current is not null && current.Deployment.Image.Digest == target.Deployment.Image.Digest)
            throw BuildFailure.BadInput($"{environment} already runs {version} ({target.Deployment.Image.Digest.Short}); there is nothing to roll back. The GitOps repository is unchanged.");
        return target;
    }

    private static bool Qualifies(DeploymentRecord candidate, bool acceptUnverified) =>
        candidate.Verification == Verification.Healthy || (acceptUnverified && candidate.Verification == Verification.Unverified);

    private static string Describe(DeploymentRecord record) => $"{record.Deployment.Version} ({record.Deployment.Image.Digest.Short})";

    private static string List(IEnumerable<DeploymentRecord> records)
    {
        var described = records.Take(10).Select(record => $"{Describe(record)} {Verified(record.Verification)}").ToList();
        return described.Count == 0 ? "none" : string.Join(", ", described);
    }

    private static string Verified(Verification verification) => verification switch
    {
        Verification.Healthy => "verified",
        Verification.Failed => "failed",
        _ => "unverified",
    };
}
