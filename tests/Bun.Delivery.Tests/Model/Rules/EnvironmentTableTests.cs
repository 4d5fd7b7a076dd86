using Bun.Delivery.Model.Branches;
using Bun.Delivery.Model.Rules;
using Bun.Delivery.Tests.Support;
using Bun.Pipeline.Failures;

namespace Bun.Delivery.Tests.Model.Rules;

/// <summary>Each environment's rules as the delivery model states them, checked through the targets that read the table.</summary>
public sealed class EnvironmentTableTests
{
    private static readonly string[] Branches = ["main", "feature/login", "fix/crash", "release/1.4.0", "spike/idea"];

    // Which branches each environment receives, written out as the delivery model states it, not read from the table.
    private static readonly (string Invocation, string[] Receives)[] Receiving =
    [
        ("ResetDummyDatabase --environment local", Branches),
        ("DeployDev", ["main", "feature/login", "fix/crash"]),
        ("DeployTest", ["main"]),
        ("DeployStage", ["release/1.4.0"]),
        ("PromoteProd", ["release/1.4.0"]),
    ];

    public static TheoryData<Host, string, string, bool> ReceivingOnBothHosts()
    {
        var data = new TheoryData<Host, string, string, bool>();
        foreach (var host in Hosts.Both)
        foreach (var (invocation, receives) in Receiving)
        foreach (var branch in Branches)
            data.Add(host, invocation, branch, receives.Contains(branch));
        return data;
    }

    [Theory]
    [MemberData(nameof(ReceivingOnBothHosts))]
    public async Task An_environment_receives_only_its_branch_kinds(Host host, string invocation, string branch, bool receives)
    {
        var run = await Hosts.RunAsync(host, Scenario.Push(branch), [.. invocation.Split(' '), "--plan"]);

        run.ExitCode.ShouldBe(receives ? 0 : 1, run.All);
        if (!receives)
            run.Error.ShouldContain($"this is {branch}, which");
    }

    [Theory]
    [InlineData("local", true)]
    [InlineData("dev", true)]
    [InlineData("test", false)]
    [InlineData("stage", false)]
    [InlineData("prod", false)]
    public async Task Only_dummy_databases_can_be_reset(string environment, bool dummy)
    {
        foreach (var host in Hosts.Both)
        {
            var run = await Hosts.RunAsync(host, Scenario.Push("main"), "ResetDummyDatabase", "--environment", environment, "--plan");

            run.ExitCode.ShouldBe(dummy ? 0 : 1, run.All);
            if (!dummy)
                run.Error.ShouldContain($"{environment}'s database is real");
        }
    }

    [Theory]
    [InlineData("DeployDev", "Deploys to dev (free experimentation): receives main, feature/* or fix/* branches; automatic on push to main; dummy database; gate: none.")]
    [InlineData("DeployTest", "receives main; automatic on push to main; real database; gate: none; rolls back on failure.")]
    [InlineData("DeployStage", "receives release/* branches; automatic on push to release/*; real database; gate: tests must pass.")]
    [InlineData("PromoteProd", "receives release/* branches; manual; real database; gate: all tests green and the required approvals; rolls back on failure.")]
    [InlineData("Rollback", "Rolls --environment (dev, test, stage or prod) back")]
    [InlineData("ResetDummyDatabase", "--environment (local or dev; default local)")]
    public async Task Help_describes_each_target_with_its_environment_rules(string target, string description)
    {
        var run = await Hosts.OnLaptopAsync(Scenario.Push("main"), "--help");

        run.ExitCode.ShouldBe(0, run.All);
        run.Out.Split('\n').ShouldContain(line => line.TrimStart().StartsWith(target + " ") && line.Contains(description));
    }

    [Fact]
    public void Environments_are_found_by_name_ignoring_case()
    {
        Environments.Table.Find("Stage").ShouldBeSameAs(Environments.Stage);
        Should.Throw<BuildFailure>(() => Environments.Table.Find("qa")).ExitCode.ShouldBe(ExitCodes.BadInput);
    }

    [Fact]
    public void The_documentation_shows_the_table_as_the_code_has_it()
    {
        var documentation = File.ReadAllText(RepositoryRoot.PathOf("docs", "delivery.md"));

        documentation.ShouldContain(Markdown(), customMessage: "docs/delivery.md's environments table differs from Environments.Table; paste the expected table.");
    }

    /// <summary>The environments table as docs/delivery.md shows it.</summary>
    private static string Markdown() => string.Join('\n',
        new[]
            {
                "| environment | purpose | receives | trigger | database | gate | rollback on failure |",
                "|---|---|---|---|---|---|---|",
            }
            .Concat(Environments.Table.All.Select(environment =>
                $"| {environment.Name} | {environment.Purpose} | {BranchKinds.Describe(environment.Receives)} | {environment.Trigger} | "
                + $"{environment.Database.ToString().ToLowerInvariant()} | {environment.Gate.Describe()} | {(environment.RollbackOnFailure ? "yes" : "no")} |")));
}
