using Bun.Delivery.Model.Rules;
using static Bun.Delivery.Model.Branches.BranchKind;
using static Bun.Delivery.Model.Rules.DatabaseKind;

/// <summary>
/// This repository's environments table: a copy of Bun's to change. Add, drop or rename rows here and every delivery rule
/// follows: the guards, --environment, --help, the workflow choices and promotion. A table that contradicts itself
/// (two rows of one name, no cluster environment, a promotion from a missing row, …) fails the build with the reason.
/// </summary>
public static class RepositoryEnvironments
{
    public static readonly DeliveryEnvironment Local = new("local", "a developer's machine", Hosting.DeveloperMachine,
        Receives: [Main, Feature, Release, Fix, Other], AutomaticOnPushTo: null, Database: Dummy, Gate: Gate.None);

    public static readonly DeliveryEnvironment Dev = new("dev", "free experimentation", Hosting.Cluster,
        Receives: [Main, Feature, Fix], AutomaticOnPushTo: Main, Database: Dummy, Gate: Gate.None);

    public static readonly DeliveryEnvironment Test = new("test", "QA and the front-end and back-end teams test features", Hosting.Cluster,
        Receives: [Main], AutomaticOnPushTo: Main, Database: Real, Gate: Gate.None, RollbackOnFailure: true);

    public static readonly DeliveryEnvironment Stage = new("stage", "prod-like final verification", Hosting.Cluster,
        Receives: [Release], AutomaticOnPushTo: Release, Database: Real, Gate: Gate.TestsPass);

    public static readonly DeliveryEnvironment Prod = new("prod", "real users", Hosting.Cluster,
        Receives: [Release], AutomaticOnPushTo: null, Database: Real, Gate: Gate.ApprovalsAndChecks, RollbackOnFailure: true, PromotedFrom: "stage");

    public static IReadOnlyList<DeliveryEnvironment> Rows => [Local, Dev, Test, Stage, Prod];
}

public sealed partial class Build
{
    protected override EnvironmentTable DefineEnvironments() => new(RepositoryEnvironments.Rows);
}
