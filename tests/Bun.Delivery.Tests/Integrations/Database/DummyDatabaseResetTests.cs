using Bun.Delivery.Integrations.Database;
using Bun.Delivery.Model.Rules;
using Bun.Pipeline.Failures;
using Xunit.Abstractions;

namespace Bun.Delivery.Tests.Integrations.Database;

[Collection(PostgresCollection.Name)]
public sealed class DummyDatabaseResetTests(PostgresServer server, ITestOutputHelper log)
{
    private const int Seed = DummyDatabaseReset.DefaultSeed;
    private readonly CapturedOutput _log = new();

    [SkippableFact]
    public async Task Reset_claims_an_empty_database_then_migrates_and_seeds_it()
    {
        server.Require(log);
        var url = await server.CreateDatabaseAsync();

        var report = await ResetAsync(Target("dev", url), rows: 250);

        report.Claimed.ShouldBeTrue();
        report.Migration.Applied.ShouldBe(MigrationFolder.Repository().All.Select(script => script.Name));
        (await DatabaseFingerprint.CountAsync(server, url, "notes")).ShouldBe(250);
        (await DatabaseFingerprint.CountAsync(server, url, "bun_dummy.marker")).ShouldBe(1);
        _log.Text.ShouldContain("Claimed the dev database (dummy)");
        _log.Text.ShouldNotContain(server.Password);
    }

    [SkippableFact]
    public async Task Reset_of_a_marked_database_replaces_everything_but_the_marker()
    {
        server.Require(log);
        var url = await server.CreateDatabaseAsync();
        await ResetAsync(Target("dev", url), rows: 10);
        await DatabaseFingerprint.ExecuteAsync(server, url,
            "CREATE SCHEMA scratch; CREATE TABLE scratch.left_over (id int); INSERT INTO notes (title) VALUES ('typed by hand')");

        var report = await ResetAsync(Target("dev", url), rows: 20);

        report.Claimed.ShouldBeFalse();
        var fingerprint = await DatabaseFingerprint.TakeAsync(server, url);
        fingerprint.ShouldNotContain("scratch");
        fingerprint.ShouldContain("public.notes: 20 rows");
        (await DatabaseFingerprint.CountAsync(server, url, "bun_dummy.marker")).ShouldBe(1);
        // New notes continue after the seeded ids.
        await DatabaseFingerprint.ExecuteAsync(server, url, "INSERT INTO notes (title) VALUES ('new')");
        (await DatabaseFingerprint.CountAsync(server, url, "notes WHERE id = 21")).ShouldBe(1);
    }

    [SkippableFact]
    public async Task Reset_refuses_a_database_without_the_dummy_marker_that_is_not_empty()
    {
        server.Require(log);
        var url = await server.CreateDatabaseAsync();
        await DatabaseFingerprint.ExecuteAsync(server, url,
            "CREATE TABLE customers (id int PRIMARY KEY, email text); INSERT INTO customers SELECT i, 'user' || i || '@example.com' FROM generate_series(1, 100) i");
        var before = await DatabaseFingerprint.TakeAsync(server, url);

        var failure = await Should.ThrowAsync<BuildFailure>(() => ResetAsync(Target("dev", url), rows: 10));

        failure.ExitCode.ShouldBe(ExitCodes.Failed);
        failure.Message.ShouldStartWith("ResetDummyDatabase refuses the dev database (dummy) postgres@127.0.0.1:");
        failure.Message.ShouldContain("it has no dummy marker and is not empty (2 objects, e.g. index public.customers_pkey, table public.customers)");
        failure.Message.ShouldEndWith("Nothing was changed.");
        failure.Message.ShouldNotContain(server.Password);
        (await DatabaseFingerprint.TakeAsync(server, url)).ShouldBe(before);
        before.ShouldContain("public.customers: 100 rows");
    }

    [SkippableFact]
    public async Task MigrateDatabase_then_ResetDummyDatabase_as_the_docs_order_them_claims_the_migrated_database()
    {
        server.Require(log);
        var url = await server.CreateDatabaseAsync();
        await new DatabaseMigrator(MigrationFolder.Repository(), _log.Output).MigrateAsync(Target("dev", url), dryRun: false, CancellationToken.None);

        var report = await ResetAsync(Target("dev", url), rows: 25);

        report.Claimed.ShouldBeTrue();
        _log.Text.ShouldContain("as a dummy database for dev (it held only the tables MigrateDatabase made, all of them without rows)");
        (await DatabaseFingerprint.CountAsync(server, url, "notes")).ShouldBe(25);
        (await DatabaseFingerprint.CountAsync(server, url, "bun_dummy.marker WHERE environment = 'dev'")).ShouldBe(1);
    }

    [SkippableTheory]
    [InlineData("INSERT INTO notes (title) VALUES ('a real note')")]
    [InlineData("CREATE TABLE customers (id int); INSERT INTO customers VALUES (1)")]
    [InlineData("SELECT lo_create(0)")]
    public async Task A_migrated_database_that_holds_any_data_is_still_refused(string data)
    {
        server.Require(log);
        var url = await server.CreateDatabaseAsync();
        await new DatabaseMigrator(MigrationFolder.Repository(), _log.Output).MigrateAsync(Target("dev", url), dryRun: false, CancellationToken.None);
        await DatabaseFingerprint.ExecuteAsync(server, url, data);
        var before = await DatabaseFingerprint.TakeAsync(server, url);

        var failure = await Should.ThrowAsync<BuildFailure>(() => ResetAsync(Target("dev", url), rows: 10));

        failure.Message.ShouldContain("it has no dummy marker and is not empty");
        failure.Message.ShouldContain("and it holds rows outside Bun's migration journal");
        failure.Message.ShouldEndWith("Nothing was changed.");
        (await DatabaseFingerprint.TakeAsync(server, url)).ShouldBe(before);
    }

    [SkippableFact]
    public async Task Reset_records_the_environment_it_claims_the_database_for()
    {
        server.Require(log);
        var url = await server.CreateDatabaseAsync();

        await ResetAsync(Target("local", url), rows: 10);

        (await DatabaseFingerprint.CountAsync(server, url, "bun_dummy.marker WHERE environment = 'local'")).ShouldBe(1);
    }

    [SkippableTheory]
    [InlineData("local", "dev")]
    [InlineData("dev", "local")]
    public async Task Reset_for_another_environment_than_the_marker_was_claimed_for_is_refused_naming_both(string claimedFor, string environment)
    {
        server.Require(log);
        var url = await server.CreateDatabaseAsync();
        await ResetAsync(Target(claimedFor, url), rows: 10);
        var before = await DatabaseFingerprint.TakeAsync(server, url);

        var failure = await Should.ThrowAsync<BuildFailure>(() => ResetAsync(Target(environment, url), rows: 20));

        failure.ExitCode.ShouldBe(ExitCodes.Failed);
        failure.Message.ShouldStartWith($"ResetDummyDatabase refuses the {environment} database (dummy) postgres@127.0.0.1:");
        failure.Message.ShouldContain($"its dummy marker says it was claimed for {claimedFor}, not for {environment}.");
        failure.Message.ShouldContain($"check that --database-url points at {environment}'s database, or reset it as {claimedFor}'s with --environment {claimedFor}.");
        failure.Message.ShouldEndWith("Nothing was changed.");
        failure.Message.ShouldNotContain("\n");
        (await DatabaseFingerprint.TakeAsync(server, url)).ShouldBe(before);
    }

    [SkippableTheory]
    [InlineData("DELETE FROM bun_dummy.marker")]
    [InlineData("UPDATE bun_dummy.marker SET environment = ''")]
    [InlineData("ALTER TABLE bun_dummy.marker DROP COLUMN environment")]
    public async Task A_marker_that_names_no_environment_is_refused_with_the_sql_that_records_one(string damage)
    {
        server.Require(log);
        var url = await server.CreateDatabaseAsync();
        await ResetAsync(Target("dev", url), rows: 10);
        await DatabaseFingerprint.ExecuteAsync(server, url, damage);
        var before = await DatabaseFingerprint.TakeAsync(server, url);

        var failure = await Should.ThrowAsync<BuildFailure>(() => ResetAsync(Target("dev", url), rows: 20));

        failure.Message.ShouldContain("its dummy marker names no environment");
        failure.Message.ShouldEndWith("Nothing was changed.");
        (await DatabaseFingerprint.TakeAsync(server, url)).ShouldBe(before);

        // The way out the message gives works.
        const string RecordSql = "ALTER TABLE bun_dummy.marker ADD COLUMN IF NOT EXISTS environment text; INSERT INTO bun_dummy.marker (environment) VALUES ('dev')";
        failure.Message.ShouldContain($"record that ({RecordSql}) and run again");
        await DatabaseFingerprint.ExecuteAsync(server, url, RecordSql);
        (await ResetAsync(Target("dev", url), rows: 20)).Rows.ShouldBe(20);
    }

    [SkippableFact]
    public async Task Reset_looks_at_the_database_only_once_it_holds_the_lock()
    {
        server.Require(log);
        var url = await server.CreateDatabaseAsync();
        var held = await HeldMigrationLock.TakeAsync(server, url);
        Task<ResetReport> reset;
        string expected;
        await using (held)
        {
            reset = ResetAsync(Target("dev", url), rows: 10);
            await held.WaitForWaitersAsync(1);
            // While the reset waits, a run that holds the lock makes the empty database a real one.
            await held.ExecuteAsync("CREATE TABLE customers (id int); INSERT INTO customers VALUES (1), (2)");
            expected = await DatabaseFingerprint.TakeAsync(server, url);
            reset.IsCompleted.ShouldBeFalse();
        }

        var failure = await Should.ThrowAsync<BuildFailure>(() => reset);

        failure.Message.ShouldContain("it has no dummy marker and is not empty (1 objects, e.g. table public.customers)");
        _log.Text.ShouldContain("Waiting up to 600 s for the migration lock");
        (await DatabaseFingerprint.TakeAsync(server, url)).ShouldBe(expected);
        expected.ShouldContain("public.customers: 2 rows");
        expected.ShouldNotContain("bun_dummy");
    }

    [SkippableTheory]
    [InlineData("test")]
    [InlineData("stage")]
    [InlineData("prod")]
    public async Task Reset_refuses_a_real_environment_even_when_its_database_carries_the_marker(string environment)
    {
        server.Require(log);
        var url = await server.CreateDatabaseAsync();
        await ResetAsync(Target("dev", url), rows: 10);
        var before = await DatabaseFingerprint.TakeAsync(server, url);

        var failure = await Should.ThrowAsync<BuildFailure>(() => ResetAsync(Target(environment, url), rows: 10));

        failure.Message.ShouldStartWith($"ResetDummyDatabase refuses {environment}: its database is real (environment table)");
        (await DatabaseFingerprint.TakeAsync(server, url)).ShouldBe(before);
    }

    [SkippableFact]
    public async Task Reset_refuses_local_when_a_real_database_was_asked_for()
    {
        server.Require(log);
        var url = await server.CreateDatabaseAsync();
        await ResetAsync(Target("local", url), rows: 10);
        var before = await DatabaseFingerprint.TakeAsync(server, url);
        var real = DatabaseTarget.Resolve("local", DatabaseKind.Dummy, DatabaseKind.Real, url, _log.Output);

        var failure = await Should.ThrowAsync<BuildFailure>(() => ResetAsync(real, rows: 10));

        failure.Message.ShouldStartWith("ResetDummyDatabase refuses local with --database real");
        (await DatabaseFingerprint.TakeAsync(server, url)).ShouldBe(before);
    }

    [SkippableFact]
    public async Task A_negative_row_count_is_bad_input_and_changes_nothing()
    {
        server.Require(log);
        var url = await server.CreateDatabaseAsync();
        await ResetAsync(Target("dev", url), rows: 10);
        var before = await DatabaseFingerprint.TakeAsync(server, url);

        var failure = await Should.ThrowAsync<BuildFailure>(() => ResetAsync(Target("dev", url), rows: -1));

        failure.ExitCode.ShouldBe(ExitCodes.BadInput);
        (await DatabaseFingerprint.TakeAsync(server, url)).ShouldBe(before);
    }

    [SkippableFact]
    public async Task The_same_seed_and_row_count_give_the_same_data_byte_for_byte()
    {
        server.Require(log);
        var (first, second, otherSeed) = (await server.CreateDatabaseAsync(), await server.CreateDatabaseAsync(), await server.CreateDatabaseAsync());

        await ResetAsync(Target("dev", first), rows: 500);
        await ResetAsync(Target("local", second), rows: 500);
        await ResetAsync(Target("dev", otherSeed), rows: 500, seed: Seed + 1);

        var notes = await Task.WhenAll(new[] { first, second, otherSeed }.Select(url => NotesAsync(url)));
        notes[1].ShouldBe(notes[0]);
        notes[2].ShouldNotBe(notes[0]);
        notes[0].ShouldContain("500 rows");
    }

    private Task<ResetReport> ResetAsync(DatabaseTarget target, int rows, int seed = Seed) =>
        new DummyDatabaseReset(new DatabaseMigrator(MigrationFolder.Repository(), _log.Output), _log.Output).ResetAsync(target, rows, seed, CancellationToken.None);

    private DatabaseTarget Target(string environment, string url) =>
        DatabaseTarget.Resolve(environment, environment is "local" or "dev" ? DatabaseKind.Dummy : DatabaseKind.Real, null, url, _log.Output);

    private async Task<string> NotesAsync(string url) =>
        (await DatabaseFingerprint.TakeAsync(server, url)).Split('\n').Single(line => line.StartsWith("public.notes:", StringComparison.Ordinal));
}
