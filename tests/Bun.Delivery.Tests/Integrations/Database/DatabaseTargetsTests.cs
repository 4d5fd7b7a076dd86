using Bun.Delivery.Tests.Support;
using Xunit.Abstractions;

namespace Bun.Delivery.Tests.Integrations.Database;

/// <summary>The build's database targets, run through the real build against the real server.</summary>
[Collection(PostgresCollection.Name)]
public sealed class DatabaseTargetsTests(PostgresServer server, ITestOutputHelper log)
{
    [SkippableFact]
    public async Task ResetDummyDatabase_seeds_the_local_dummy_database_without_printing_the_url()
    {
        server.Require(log);
        var url = await server.CreateDatabaseAsync();

        var run = await OnLaptopAsync("feature/login", "ResetDummyDatabase", "--database-url", url, "--rows", "40", "--skip");

        run.ExitCode.ShouldBe(0, run.All);
        (await DatabaseFingerprint.CountAsync(server, url, "notes")).ShouldBe(40);
        run.All.ShouldNotContain(server.Password);
        run.All.ShouldNotContain(url);
    }

    [SkippableFact]
    public async Task ResetDummyDatabase_on_test_is_refused_and_leaves_the_database_untouched()
    {
        server.Require(log);
        var url = await server.CreateDatabaseAsync();
        await DatabaseFingerprint.ExecuteAsync(server, url, "CREATE TABLE customers (id int); INSERT INTO customers VALUES (1), (2)");
        var before = await DatabaseFingerprint.TakeAsync(server, url);

        var run = await OnLaptopAsync("main", "ResetDummyDatabase", "--environment", "test", "--database-url", url, "--skip");

        run.ExitCode.ShouldBe(1, run.All);
        run.Error.ShouldContain("resets only dummy databases");
        (await DatabaseFingerprint.TakeAsync(server, url)).ShouldBe(before);
    }

    [SkippableFact]
    public async Task MigrateDatabase_dry_run_lists_pending_scripts_and_changes_nothing()
    {
        server.Require(log);
        var url = await server.CreateDatabaseAsync();
        var before = await DatabaseFingerprint.TakeAsync(server, url);

        var run = await OnLaptopAsync("main", "MigrateDatabase", "--environment", "dev", "--database-url", url, "--dry-run", "--skip");

        run.ExitCode.ShouldBe(0, run.All);
        run.Out.ShouldContain("0001_create_notes.sql");
        (await DatabaseFingerprint.TakeAsync(server, url)).ShouldBe(before);
    }

    [SkippableFact]
    public async Task MigrateDatabase_of_a_real_environment_refuses_a_dummy_database_in_one_line_and_changes_nothing()
    {
        server.Require(log);
        var url = await server.CreateDatabaseAsync();
        (await OnLaptopAsync("main", "ResetDummyDatabase", "--environment", "dev", "--database-url", url, "--rows", "5", "--skip")).ExitCode.ShouldBe(0);
        var before = await DatabaseFingerprint.TakeAsync(server, url);

        var run = await OnLaptopAsync("main", "MigrateDatabase", "--environment", "test", "--database-url", url, "--skip");

        run.ExitCode.ShouldBe(1, run.All);
        run.All.ShouldContain("Refusing to migrate the test database (real)");
        run.All.ShouldContain("it carries the dummy marker (bun_dummy.marker, claimed for dev)");
        run.All.ShouldNotContain(server.Password);
        (await DatabaseFingerprint.TakeAsync(server, url)).ShouldBe(before);
    }

    [SkippableFact]
    public async Task MigrateDatabase_without_a_database_url_names_the_parameter_and_exits_2()
    {
        var run = await OnLaptopAsync("main", "MigrateDatabase", "--environment", "dev", "--skip");

        run.ExitCode.ShouldBe(2, run.All);
        run.Error.ShouldContain("--database-url");
    }

    // A checkout on the branch, with the repository's migrations.
    private static async Task<BuildRun> OnLaptopAsync(string branch, params string[] arguments)
    {
        using var folder = new TempFolder();
        await Git.InitAsync(folder.Path, branch);
        var migrations = Directory.CreateDirectory(Path.Combine(folder.Path, "db", "migrations")).FullName;
        foreach (var script in Directory.GetFiles(RepositoryRoot.PathOf("db", "migrations")))
            File.Copy(script, Path.Combine(migrations, Path.GetFileName(script)));
        return await Hosts.RunAsync(folder.Path, new Dictionary<string, string>(), arguments);
    }
}
