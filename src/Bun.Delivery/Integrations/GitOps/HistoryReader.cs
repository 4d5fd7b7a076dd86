namespace Bun.Delivery.Integrations.GitOps;

/// <summary>
/// Turns <c>git log</c> output (see <see cref="Format"/>) into an environment's history. A commit with deployment
/// trailers for the environment is a deployment, whatever files it touched (a redeploy of the pinned digest is an
/// empty commit). A commit that changed the overlay without them is an <see cref="UntrackedChange"/>, except the one
/// that created the overlay. Verifications attach to the deployment they name; the newest one counts. A rollback marks
/// the deployment its <c>Bun-Replaces</c> names as rolled back.
/// </summary>
internal static class HistoryReader
{
    private const char RecordSeparator = '\u001e';
    private const char FieldSeparator = '\u001f';

    /// <summary>The <c>git log</c> arguments whose output <see cref="Read"/> parses.</summary>
    public static IReadOnlyList<string> Format { get; } =
        ["log", "--format=%x1e%H%x1f%cI%x1f%s%x1f%(trailers:only,unfold)%x1f", "--name-status", "--no-renames"];

    private sealed record Commit(GitOpsCommit Id, DateTimeOffset Time, string Subject, IReadOnlyDictionary<string, string> Trailers, IReadOnlyList<(string Status, string Path)> Files);

    public static IReadOnlyList<HistoryEntry> Read(string log, string environment, string app, string overlay)
    {
        var commits = log.Split(RecordSeparator, StringSplitOptions.RemoveEmptyEntries).Select(Parse).ToList();
        var verifications = new Dictionary<string, Verification>();
        foreach (var commit in commits.Where(commit => IsFor(commit, DeploymentTrailers.VerifyAction, environment, app)))
        {
            if (commit.Trailers.TryGetValue(DeploymentTrailers.Verifies, out var sha))
                verifications.TryAdd(sha, commit.Trailers.GetValueOrDefault(DeploymentTrailers.Verified) == "true" ? Verification.Healthy : Verification.Failed);
        }

        var entries = new List<HistoryEntry>();
        foreach (var commit in commits)
        {
            var touchesOverlay = commit.Files.Any(file => file.Path.StartsWith(overlay + "/", StringComparison.Ordinal));
            var (deployment, problem) = DeploymentTrailers.ReadDeployment(commit.Trailers);
            if (deployment is not null && deployment.Environment == environment && deployment.App == app)
                entries.Add(new DeploymentRecord(commit.Id, commit.Time, deployment, verifications.GetValueOrDefault(commit.Id.Sha)));
            else if (touchesOverlay && !CreatesOverlay(commit, overlay))
                entries.Add(new UntrackedChange(commit.Id, commit.Time, commit.Subject, deployment is null ? problem! : $"its trailers are for {deployment.App} in {deployment.Environment}"));
        }

        return MarkRolledBack(entries);
    }

    private static List<HistoryEntry> MarkRolledBack(List<HistoryEntry> entries)
    {
        var rolledBackBy = new Dictionary<string, GitOpsCommit>();
        foreach (var rollback in entries.OfType<DeploymentRecord>().Where(record => record.Deployment.Replaces is not null))
            rolledBackBy.TryAdd(rollback.Deployment.Replaces!.Sha, rollback.Commit);
        return entries
            .Select(entry => entry is DeploymentRecord record && rolledBackBy.TryGetValue(record.Commit.Sha, out var by) ? record with { RolledBackBy = by } : entry)
            .ToList();
    }

    private static bool IsFor(Commit commit, string action, string environment, string app) =>
        commit.Trailers.GetValueOrDefault(DeploymentTrailers.Action) == action
        && commit.Trailers.GetValueOrDefault(DeploymentTrailers.Environment) == environment
        && commit.Trailers.GetValueOrDefault(DeploymentTrailers.App) == app;

    // The commit that laid out the repository (Bun's init, or whoever created the overlay) is where history starts, not a hand edit.
    private static bool CreatesOverlay(Commit commit, string overlay) =>
        commit.Trailers.GetValueOrDefault(DeploymentTrailers.Action) == DeploymentTrailers.InitAction
        || commit.Files.Any(file => file.Status == "A" && file.Path == $"{overlay}/kustomization.yaml");

    private static Commit Parse(string record)
    {
        var fields = record.Split(FieldSeparator);
        var files = fields[4].Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('\t'))
            .Where(parts => parts.Length >= 2)
            .Select(parts => (parts[0], parts[^1]))
            .ToList();
        return new Commit(new GitOpsCommit(fields[0].Trim()), DateTimeOffset.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture), fields[2],
            DeploymentTrailers.Parse(fields[3]), files);
    }
}
