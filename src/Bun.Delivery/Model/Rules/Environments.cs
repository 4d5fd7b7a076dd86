using Bun.Pipeline.Failures;
using Bun.Pipeline.Planning;
using static Bun.Delivery.Model.Rules.DatabaseKind;
using static Bun.Delivery.Model.Branches.BranchKind;

namespace Bun.Delivery.Model.Rules;

/// <summary>The environments table: the one place that says where each kind of branch may go and how.</summary>
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
        Receives: [Release], AutomaticOnPushTo: null, Database: Real, Gate: Gate.ApprovalsAndChecks, RollbackOnFailure: true);

    public static IReadOnlyList<DeliveryEnvironment> All { get; } = [Local, Dev, Test, Stage, Prod];

    /// <summary>The environments that deployments, rollbacks and GitHub environments exist for.</summary>
    public static IReadOnlyList<DeliveryEnvironment> Deployed { get; } = All.Where(environment => environment.Hosting == Hosting.Cluster).ToList();

    /// <summary>The environments whose database ResetDummyDatabase may reset.</summary>
    public static IReadOnlyList<DeliveryEnvironment> WithDummyDatabase { get; } = All.Where(environment => environment.Database == Dummy).ToList();

    /// <summary>The environment named by <c>--environment</c>, ignoring case.</summary>
    public static DeliveryEnvironment Find(string name) =>
        All.FirstOrDefault(environment => string.Equals(environment.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw BuildFailure.BadInput(
            $"Unknown environment '{name}' (--environment); expected {Describe(All)}.{ClosestMatches.Suggest(name, All.Select(environment => environment.Name), synonyms: Synonyms.Environments)}");

    /// <summary>"local, dev, test, stage or prod".</summary>
    public static string Describe(IEnumerable<DeliveryEnvironment> environments) => Wording.OneOf(environments.Select(environment => environment.Name));
}
