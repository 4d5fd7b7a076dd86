using Bun.Delivery.Model.Branches;
using Bun.Delivery.Model.Rules;
using Bun.Delivery.Orchestration.Workflows;
using Bun.Delivery.Tests.Support;
using Bun.Pipeline;
using Bun.Pipeline.Cli;
using Bun.Pipeline.Failures;
using Bun.Pipeline.Targets;
using static Bun.Delivery.Model.Branches.BranchKind;

namespace Bun.Delivery.Tests.Model.Rules;

/// <summary>A consumer's own table: Bun's rows without test, plus qa. Every reader of the table must see the change.</summary>
public sealed class OwnEnvironmentTableTests
{
    private static readonly DeliveryEnvironment Qa = new("qa", "the QA team's acceptance runs", Hosting.Cluster,
        Receives: [Main, Release], AutomaticOnPushTo: Main, Database: DatabaseKind.Real, Gate: Gate.None);

    private static readonly DeliveryEnvironment ProdFromQa = Environments.Prod with { PromotedFrom = "qa" };

    [Fact]
    public async Task Help_describes_the_added_environment_and_lists_the_own_table()
    {
        var run = await RunAsync(new OwnTableBuild(), "main", "--help");

        run.ExitCode.ShouldBe(0, run.All);
        run.Out.ShouldContain("Deploys to qa (the QA team's acceptance runs): receives main or release/* branches; automatic on push to main; real database; gate: none.");
        run.Out.ShouldNotContain("DeployTest");
    }

    [Fact]
    public async Task The_environment_option_knows_the_added_one_and_refuses_the_dropped_one()
    {
        var found = await RunAsync(new OwnTableBuild(), "main", "Rollback", "--environment", "QA", "--plan");
        var dropped = await RunAsync(new OwnTableBuild(), "main", "Rollback", "--environment", "test", "--plan");

        found.ExitCode.ShouldBe(0, found.All);
        dropped.ExitCode.ShouldBe(ExitCodes.BadInput, dropped.All);
        dropped.Error.ShouldContain("Unknown environment 'test' (--environment); expected local, dev, qa, stage or prod.");
    }

    [Fact]
    public async Task Guards_name_the_environments_of_the_own_table()
    {
        var fromRelease = await RunAsync(new OwnTableBuild(), "release/1.4.0", "DeployDev", "--plan");
        var onLocal = await RunAsync(new OwnTableBuild(), "main", "Rollback", "--environment", "local", "--plan");
        var realDatabase = await RunAsync(new OwnTableBuild(), "main", "ResetDummyDatabase", "--environment", "qa", "--plan");

        fromRelease.ExitCode.ShouldBe(1, fromRelease.All);
        fromRelease.Error.ShouldContain("this is release/1.4.0, which may deploy to qa, stage or prod.");
        onLocal.Error.ShouldContain("Rollback works on dev, qa, stage or prod;");
        realDatabase.Error.ShouldContain("qa's database is real. Environments with a dummy database: local or dev.");
    }

    [Fact]
    public void Workflow_choices_and_promotion_come_from_the_own_table()
    {
        var table = new OwnTableBuild().EnvironmentTable;

        DeliveryWorkflows.EnvironmentInput("environment", "The environment to roll back.", "Environment", table).Choices
            .ShouldBe(["dev", "qa", "stage", "prod"]);
        table.PromotionSource(Environments.Prod).ShouldBeSameAs(Environments.Stage);
        new EnvironmentTable([Environments.Local, Qa, ProdFromQa]).PromotionSource(ProdFromQa).ShouldBeSameAs(Qa);
        Should.Throw<BuildFailure>(() => table.PromotionSource(Qa)).Message.ShouldBe(
            "qa is not promoted from another environment in the environments table; deploy to it instead.");
    }

    [Fact]
    public async Task A_target_that_deploys_to_a_dropped_environment_is_refused()
    {
        var run = await RunAsync(new StaleTargetBuild(), "main", "--help");

        run.ExitCode.ShouldBe(ExitCodes.BadInput, run.All);
        run.Error.ShouldContain("DeployTest deploys to test, which the environments table does not have (local, dev, qa, stage or prod): add the row or remove the target.");
    }

    public static TheoryData<string, DeliveryEnvironment[], string> Contradictions() => new()
    {
        { "no rows", [], "it has no rows." },
        { "a duplicate", [Environments.Local, Environments.Dev, Environments.Dev with { Purpose = "again" }], "'dev' names 2 rows; each environment has one." },
        { "no cluster", [Environments.Local], "no environment is hosted in a cluster, so there is nowhere to deploy." },
        { "an unusable name", [Environments.Dev with { Name = "Dev Env" }], "'Dev Env' is not a usable name" },
        { "a slash", [Environments.Dev with { Name = "eu/dev" }], "'eu/dev' is not a usable name" },
        { "no purpose", [Environments.Dev with { Purpose = " " }], "dev has no purpose" },
        { "receives nothing", [Environments.Dev with { Receives = [], AutomaticOnPushTo = null }], "dev receives no branch kind." },
        { "automatic on a kind it refuses", [Environments.Dev with { AutomaticOnPushTo = Release }], "dev deploys automatically on push to release/*, which it does not receive." },
        { "automatic to a laptop", [Environments.Dev, Environments.Local with { AutomaticOnPushTo = Main }], "local deploys automatically on push, but only cluster environments are deployed." },
        { "promoted from a missing row", [Environments.Dev, Environments.Prod], "prod is promoted from 'stage', which must be another cluster environment" },
        { "promoted from itself", [Environments.Prod with { PromotedFrom = "prod" }], "prod is promoted from 'prod', which must be another cluster environment" },
    };

    [Theory]
    [MemberData(nameof(Contradictions))]
    public void A_table_that_contradicts_itself_is_refused(string reason, DeliveryEnvironment[] rows, string problem)
    {
        var failure = Should.Throw<BuildFailure>(() => new EnvironmentTable(rows), reason);

        failure.ExitCode.ShouldBe(ExitCodes.BadInput);
        failure.Message.ShouldStartWith("The environments table is not valid: ");
        failure.Message.ShouldContain(problem);
    }

    [Fact]
    public async Task A_build_with_a_bad_table_fails_before_anything_runs()
    {
        var run = await RunAsync(new BadTableBuild(), "main", "Ci", "--plan");

        run.ExitCode.ShouldBe(ExitCodes.BadInput, run.All);
        run.Error.Trim().Split('\n').ShouldHaveSingleItem().ShouldEndWith("The environments table is not valid: 'dev' names 2 rows; each environment has one.");
    }

    private static async Task<BuildRun> RunAsync(OwnTableBuild build, string branch, params string[] arguments)
    {
        using var folder = new TempFolder();
        await Git.InitAsync(folder.Path, branch);
        var (output, error) = (new StringWriter(), new StringWriter());
        var exitCode = await BuildRunner.RunAsync(build, arguments, build.Ci,
            new BuildEnvironment(new Dictionary<string, string>(), output, error, IsTerminal: false, folder.Path, Cores: 2), CancellationToken.None);
        return new BuildRun(exitCode, output.ToString(), error.ToString());
    }

    private class OwnTableBuild : DeliveryBuild
    {
        public Target DeployDev => _ => _.DeploysTo(Environments.Dev, EnvironmentTable, () => Context).Executes(() => { });

        public Target DeployQa => _ => _.DeploysTo(Qa, EnvironmentTable, () => Context).Executes(() => { });

        public Target Rollback => _ => _
            .Requires(() => Environment)
            .Guard(() => Guards.Rollback(nameof(Rollback), SelectedEnvironment, EnvironmentTable))
            .Executes(() => { });

        public Target ResetDummyDatabase => _ => _
            .Guard(() => Guards.ResetDummyDatabase(nameof(ResetDummyDatabase), SelectedEnvironment!, Context, EnvironmentTable))
            .Executes(() => { });

        public Target Ci => _ => _.DependsOn(DeployQa).When(() => Context.DeploysAutomatically(Qa));

        protected override EnvironmentTable DefineEnvironments() =>
            new([Environments.Local, Environments.Dev, Qa, Environments.Stage, Environments.Prod]);
    }

    private sealed class StaleTargetBuild : OwnTableBuild
    {
        public Target DeployTest => _ => _.DeploysTo(Environments.Test, EnvironmentTable, () => Context).Executes(() => { });
    }

    private sealed class BadTableBuild : OwnTableBuild
    {
        protected override EnvironmentTable DefineEnvironments() => new([Environments.Local, Environments.Dev, Environments.Dev]);
    }
}
