using Bun.Delivery.Model.Branches;

namespace Bun.Delivery.Model.Rules;

/// <summary>
/// One row of the environments table: what the environment receives, whether a push deploys to it, its database
/// and its gate. The plan, the guards and <c>--help</c> all read these rows.
/// </summary>
/// <param name="AutomaticOnPushTo">A push of this branch kind deploys here automatically; null means manual only.</param>
/// <param name="PromotedFrom">The environment whose verified image a promotion brings here (prod from stage); null when deployed directly.</param>
public sealed record DeliveryEnvironment(
    string Name,
    string Purpose,
    Hosting Hosting,
    IReadOnlyList<BranchKind> Receives,
    BranchKind? AutomaticOnPushTo,
    DatabaseKind Database,
    Gate Gate,
    bool RollbackOnFailure = false,
    string? PromotedFrom = null)
{
    public bool Accepts(BranchKind kind) => Receives.Contains(kind);

    public string Trigger => AutomaticOnPushTo is { } kind ? $"automatic on push to {kind.Pattern()}" : "manual";

    /// <summary>The row in one sentence, for target descriptions in <c>--help</c>.</summary>
    public string Summary =>
        $"{Name} ({Purpose}): receives {BranchKinds.Describe(Receives)}; {Trigger}; {Database.ToString().ToLowerInvariant()} database; " +
        $"gate: {Gate.Describe()}{(RollbackOnFailure ? "; rolls back on failure" : "")}";

    public override string ToString() => Name;
}

/// <summary>Where an environment runs: only cluster environments are deployed through GitOps, rolled back and gated in GitHub.</summary>
public enum Hosting
{
    DeveloperMachine,
    Cluster,
}

/// <summary>What must hold before a deployment to the environment goes ahead.</summary>
public enum Gate
{
    None,
    TestsPass,
    ApprovalsAndChecks,
}

public static class Gates
{
    public static string Describe(this Gate gate) => gate switch
    {
        Gate.TestsPass => "tests must pass",
        Gate.ApprovalsAndChecks => "all tests green and the required approvals",
        _ => "none",
    };
}
