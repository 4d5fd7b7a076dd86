using Bun.Pipeline.Failures;

namespace Bun.Delivery.Integrations.GitOps;

/// <summary>Whether a deployment was seen healthy: the <c>Bun-Verified</c> trailer of its follow-up commit, if any.</summary>
public enum Verification
{
    /// <summary>No verification recorded: no Argo CD was configured, or the run stopped before it finished.</summary>
    Unverified,
    Healthy,
    Failed,
}

/// <summary>One commit of an environment's history, newest first in <see cref="EnvironmentHistory"/>.</summary>
public abstract record HistoryEntry(GitOpsCommit Commit, DateTimeOffset Time);

public sealed record DeploymentRecord(GitOpsCommit Commit, DateTimeOffset Time, Deployment Deployment, Verification Verification)
    : HistoryEntry(Commit, Time)
{
    public bool IsVerified => Verification == Verification.Healthy;

    /// <summary>The rollback commit that replaced this deployment (its <c>Bun-Replaces</c> names this one), or null.</summary>
    public GitOpsCommit? RolledBackBy { get; init; }
}

/// <summary>A commit that changed the overlay without Bun's trailers: someone edited the GitOps repository by hand.</summary>
public sealed record UntrackedChange(GitOpsCommit Commit, DateTimeOffset Time, string Subject, string Problem) : HistoryEntry(Commit, Time);

/// <summary>The deployments of one environment, read from the GitOps history's trailers.</summary>
public sealed class EnvironmentHistory(string environment, string overlay, IReadOnlyList<HistoryEntry> entries)
{
    public string Environment => environment;

    /// <summary>Newest first.</summary>
    public IReadOnlyList<HistoryEntry> Entries => entries;

    public IEnumerable<DeploymentRecord> Deployments => entries.OfType<DeploymentRecord>();

    /// <summary>
    /// What the environment runs now according to git: the newest entry; null before the first deployment. A hand
    /// edit on top makes it unknown, which is an error for anything that decides from it (see <see cref="Problem"/>).
    /// </summary>
    public DeploymentRecord? Current => Problem is { } problem ? throw problem : entries.FirstOrDefault() as DeploymentRecord;

    /// <summary>Why what runs now can't be known from git, or null.</summary>
    public BuildFailure? Problem => entries.FirstOrDefault() is UntrackedChange change
        ? new BuildFailure(
            $"Can't tell what {environment} runs now: the newest change to {overlay} in the GitOps repository is commit {change.Commit} " +
            $"(\"{change.Subject}\", {change.Time:u}), and {change.Problem}: someone edited the overlay by hand. Find out why, then " +
            $"put a known version back with Rollback --environment {environment} --to-version <version>, or deploy again, so that Bun's history describes it.")
        : null;

    /// <summary>Deployments older than <paramref name="entry"/>, newest first.</summary>
    public IEnumerable<DeploymentRecord> Before(HistoryEntry entry) => entries.SkipWhile(candidate => candidate != entry).Skip(1).OfType<DeploymentRecord>();
}
