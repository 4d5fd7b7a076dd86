using System.Text.Json.Nodes;
using Bun.Delivery.Integrations.GitOps;
using Bun.Pipeline.Output;

namespace Bun.Delivery.Orchestration.Deployments;

/// <summary>
/// <c>History --environment &lt;env&gt; [--json]</c>: an environment's deployments, newest first, as a table or as JSON.
/// A deployment that a rollback replaced is marked as rolled back, naming the rollback. A hand edit on top of the history
/// is shown, then reported as an error, since what runs now is then unknown.
/// </summary>
public static class HistoryReport
{
    /// <param name="json">Where the JSON document goes (with <c>--json</c>, stdout); null for the table on <paramref name="output"/>.</param>
    public static void Write(EnvironmentHistory history, string repository, BuildOutput output, Action<JsonObject>? json = null)
    {
        if (json is not null)
            json(ToJson(history, repository));
        else
            WriteTable(history, repository, output);
        if (history.Problem is { } problem)
            throw problem;
    }

    public static JsonObject ToJson(EnvironmentHistory history, string repository) => new()
    {
        ["environment"] = history.Environment,
        ["repository"] = repository,
        ["entries"] = new JsonArray(history.Entries.Select(entry => Entry(history, entry)).ToArray()),
    };

    private static JsonNode Entry(EnvironmentHistory history, HistoryEntry entry) => entry switch
    {
        DeploymentRecord record => new JsonObject
        {
            ["time"] = record.Time.ToUniversalTime().ToString("O"),
            ["action"] = record.Deployment.Action.ToString().ToLowerInvariant(),
            ["version"] = record.Deployment.Version,
            ["image"] = record.Deployment.Image.Reference,
            ["digest"] = record.Deployment.Image.Digest.Value,
            ["sourceCommit"] = record.Deployment.SourceCommit,
            ["sourceRef"] = record.Deployment.SourceRef,
            ["verified"] = record.Verification switch { Verification.Healthy => true, Verification.Failed => false, _ => null },
            ["verification"] = Verified(record),
            ["localImage"] = record.Deployment.LocalImage,
            ["deployedBy"] = record.Deployment.DeployedBy,
            ["current"] = IsCurrent(history, record),
            ["commit"] = record.Commit.Sha,
            ["rolledBackBy"] = record.RolledBackBy?.Sha,
            ["replaces"] = record.Deployment.Replaces?.Sha,
        },
        UntrackedChange change => new JsonObject
        {
            ["time"] = change.Time.ToUniversalTime().ToString("O"),
            ["action"] = null,
            ["untracked"] = true,
            ["subject"] = change.Subject,
            ["problem"] = change.Problem,
            ["commit"] = change.Commit.Sha,
        },
        _ => throw new ArgumentOutOfRangeException(nameof(entry)),
    };

    private static void WriteTable(EnvironmentHistory history, string repository, BuildOutput output)
    {
        output.Heading($"Deployments of {history.Environment}, newest first (GitOps repository {repository}):");
        if (history.Entries.Count == 0)
        {
            output.Info("  none yet");
            return;
        }

        output.Info($"    {"TIME (UTC)",-20} {"ACTION",-9} {"VERSION",-24} {"DIGEST",-19} {"IMAGE",-8} {"SOURCE",-8} {"VERIFIED",-23} {"BY",-16} COMMIT");
        foreach (var entry in history.Entries)
        {
            var time = entry.Time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss");
            if (entry is DeploymentRecord record)
                output.Info($"  {(IsCurrent(history, record) ? ">" : " ")} {time,-20} {record.Deployment.Action.ToString().ToLowerInvariant(),-9} {record.Deployment.Version,-24} " +
                            $"{"sha256:" + record.Deployment.Image.Digest.Short,-19} {(record.Deployment.LocalImage ? "local" : "registry"),-8} " +
                            $"{record.Deployment.SourceCommit[..Math.Min(7, record.Deployment.SourceCommit.Length)],-8} " +
                            $"{Verified(record),-23} {record.Deployment.DeployedBy ?? "?",-16} {record.Commit}{(record.RolledBackBy is { } by ? $"  rolled back by {by}" : "")}");
            else if (entry is UntrackedChange change)
                output.Warning($"    {time,-20} {"?",-9} not made by Bun: \"{change.Subject}\" ({change.Problem}) {change.Commit}");
        }

        output.Dim("  > runs now, according to git. VERIFIED: yes = seen healthy through Argo CD; FAILED = its verification failed; " +
                   "unverified (no Argo CD) = committed with no Argo CD configured, so nothing synced or checked it; unverified = the run stopped before a verdict " +
                   "(./build.sh Verify records one). IMAGE: local = a local engine's image pinned by its content digest, which no cluster could pull.");
    }

    // What runs now: the newest entry, when it is a deployment (a hand edit on top leaves it unknown).
    private static bool IsCurrent(EnvironmentHistory history, DeploymentRecord record) => history.Problem is null && history.Entries[0] == record;

    private static string Verified(DeploymentRecord record) => record.Verification switch
    {
        Verification.Healthy => "yes",
        Verification.Failed => "FAILED",
        _ when record.Deployment.WithoutArgoCd => "unverified (no Argo CD)",
        _ => "unverified",
    };
}
