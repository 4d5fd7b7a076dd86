using Bun.Delivery.Tests.Support;

namespace Bun.Delivery.Tests;

/// <summary>What this repository's targets need, checked before anything runs, and what --help and suggestions say about it.</summary>
public sealed class PrerequisiteTests
{
    [Fact]
    public async Task A_negative_settle_window_is_refused_before_the_image_is_built()
    {
        var run = await Hosts.OnLaptopAsync(Scenario.Push("main"), "DeployDev", "--settle-seconds", "-1");

        ShouldBeRefusedUpFront(run, "DeployDev needs deployment settings in range: --settle-seconds must be 0 or more; got -1");
    }

    [Fact]
    public async Task A_negative_row_count_is_bad_input()
    {
        var run = await Hosts.OnLaptopAsync(Scenario.Push("main"), "ResetDummyDatabase", "--rows", "-1", "--database-url", "postgres://bun@127.0.0.1/bun_local");

        ShouldBeRefusedUpFront(run, "error: ResetDummyDatabase needs --rows in range: --rows is the number of fake notes to seed: 0 or more, got -1.");
    }

    [Fact]
    public async Task A_database_url_that_does_not_parse_is_bad_input()
    {
        var run = await Hosts.OnLaptopAsync(Scenario.Push("main"), "MigrateDatabase", "--environment", "dev", "--database-url", "postgres://bun:pw@/");

        ShouldBeRefusedUpFront(run, "MigrateDatabase needs a database URL that parses: --database-url (BUN_DATABASE_URL)");
    }

    [Fact]
    public async Task Plan_lists_the_needs_of_the_image_targets_with_their_state()
    {
        var run = await Hosts.OnLaptopAsync(Scenario.Push("main"), "PushImage", "--plan");

        run.ExitCode.ShouldBe(0, run.All);
        run.Out.ShouldMatch(@"(?m)^\s+needs a Docker engine: (ok|missing) \(");
        run.Out.ShouldMatch(@"(?m)^\s+needs the base image mcr\.microsoft\.com/dotnet/aspnet:10\.0: (ok|missing|not checked) \(");
        run.Out.ShouldMatch(@"(?m)^\s+needs a registry that answers /v2/: not checked \(no --registry: the image stays in the local engine\)$");
        run.StartedATarget.ShouldBeFalse(run.All);
    }

    [Fact]
    public async Task Deploying_to_prod_suggests_the_promotion()
    {
        var run = await Hosts.OnLaptopAsync(Scenario.Push("main"), "DeployProd");

        ShouldBeRefusedUpFront(run, "error: Unknown target 'DeployProd'. Did you mean PromoteProd?");
    }

    [Fact]
    public async Task Production_suggests_prod()
    {
        var run = await Hosts.OnLaptopAsync(Scenario.Push("main"), "History", "--environment", "production");

        ShouldBeRefusedUpFront(run, "Unknown environment 'production' (--environment); expected local, dev, test, stage or prod. Did you mean prod?");
    }

    [Fact]
    public async Task Help_groups_the_targets_lists_the_environments_and_marks_secrets()
    {
        var run = await Hosts.OnLaptopAsync(Scenario.Push("main"), "--help");

        run.ExitCode.ShouldBe(0, run.All);
        var headings = run.Out.Split('\n').Where(line => line.StartsWith("Targets: ", StringComparison.Ordinal)).ToList();
        headings.ShouldBe(["Targets: build", "Targets: images", "Targets: deploy", "Targets: database", "Targets: github", "Targets: workflows"]);
        run.Out.ShouldMatch(@"(?m)^\s+--environment\s+.*\(one of local, dev, test, stage, prod; BUN_ENVIRONMENT\)$");
        run.Out.ShouldMatch(@"(?m)^\s+--registry-password\s+.*\(secret, text; BUN_REGISTRY_PASSWORD\)$");
        run.Out.ShouldNotContain("Other targets");
    }

    private static void ShouldBeRefusedUpFront(BuildRun run, string message)
    {
        run.ExitCode.ShouldBe(2, run.All);
        run.Error.ShouldContain(message);
        run.Error.Trim().Split('\n').Length.ShouldBe(1, run.Error);
        run.StartedATarget.ShouldBeFalse(run.All);
    }
}
