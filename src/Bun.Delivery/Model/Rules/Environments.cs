using static Bun.Delivery.Model.Rules.DatabaseKind;
using static Bun.Delivery.Model.Branches.BranchKind;

namespace Bun.Delivery.Model.Rules;

/// <summary>
/// This repository's environments table: the one place that says where each kind of branch may go and how. The rows are
/// named so targets can point at them; everything that iterates or looks up environments reads a build's <see cref="EnvironmentTable"/>.
/// </summary>
public static class Environments
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

    /// <summary>Bun's own table, the default of <see cref="DeliveryBuild.EnvironmentTable"/>; a repository that adopts Bun keeps its own copy.</summary>
    public static EnvironmentTable Table { get; } = new([Local, Dev, Test, Stage, Prod]);

    /// <summary>"local, dev, test, stage or prod".</summary>
    public static string Describe(IEnumerable<DeliveryEnvironment> environments) => Wording.OneOf(environments.Select(environment => environment.Name));
}
