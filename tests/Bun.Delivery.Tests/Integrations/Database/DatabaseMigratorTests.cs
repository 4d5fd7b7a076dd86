using Bun.Delivery.Integrations.Database;
using Bun.Delivery.Model.Rules;
using Bun.Pipeline.Failures;
using Npgsql;
using Xunit.Abstractions;

namespace Bun.Delivery.Tests.Integrations.Database;

[Collection(PostgresCollection.Name)]
public sealed class DatabaseMigratorTests(PostgresServer server, ITestOutputHelper log) : IDisposable
{
    private readonly CapturedOutput _log = new();
    private readonly MigrationFolder _folder = new();

    [SkippableFact]
    public async Task A_fresh_database_gets_every_migration_journaled_with_its_checksum()
    {
        server.Require(log);
        var url = await server.CreateDatabaseAsync();
        var scripts = MigrationFolder.Repository();

        var report = await Migrator(scripts).MigrateAsync(Target(url), dryRun: false, CancellationToken.None);

        report.Applied.ShouldBe(scripts.All.Select(script => script.Name));
        var journal = await JournalAsync(url);
        journal.ShouldBe(scripts.All.Select(script => (script.Name, script.Checksum)));
        (await DatabaseFingerprint.CountAsync(server, url, "notes")).ShouldBe(0);
        _log.Text.ShouldNotContain(server.Password);
    }

    [SkippableFact]
    public async Task An_incremental_run_applies_only_the_new_scripts()
    {
        server.Require(log);
        var url = await server.CreateDatabaseAsync();
        _folder.Add("0001_notes.sql", "CREATE TABLE notes (id int);");
        await Migrator(_folder.Scripts).MigrateAsync(Target(url), dryRun: false, CancellationToken.None);
        _folder.Add("0002_tags.sql", "CREATE TABLE tags (id int);\nINSERT INTO tags VALUES (1);");

        var report = await Migrator(_folder.Scripts).MigrateAsync(Target(url), dryRun: false, CancellationToken.None);

        report.Applied.ShouldBe(["0002_tags.sql"]);
        (await DatabaseFingerprint.CountAsync(server, url, "tags")).ShouldBe(1);
        (await Migrator(_folder.Scripts).MigrateAsync(Target(url), dryRun: false, CancellationToken.None)).Applied.ShouldBeEmpty();
    }

    [SkippableFact]
    public async Task A_dry_run_lists_the_pending_scripts_and_changes_nothing()
    {
        server.Require(log);
        var url = await server.CreateDatabaseAsync();
        _folder.Add("0001_notes.sql", "CREATE TABLE notes (id int);");
        await Migrator(_folder.Scripts).MigrateAsync(Target(url), dryRun: false, CancellationToken.None);
        _folder.Add("0002_tags.sql", "CREATE TABLE tags (id int);").Add("0003_more.sql", "CREATE TABLE more (id int);");
        var before = await DatabaseFingerprint.TakeAsync(server, url);

        var report = await Migrator(_folder.Scripts).MigrateAsync(Target(url), dryRun: true, CancellationToken.None);

        report.Pending.ShouldBe(["0002_tags.sql", "0003_more.sql"]);
        report.Applied.ShouldBeEmpty();
        _log.Text.ShouldContain("Dry run: 2 of 3 migrations would apply");
        (await DatabaseFingerprint.TakeAsync(server, url)).ShouldBe(before);
    }

    [SkippableFact]
    public async Task A_dry_run_on_a_new_database_does_not_even_create_the_journal()
    {
        server.Require(log);
        var url = await server.CreateDatabaseAsync();

        var report = await Migrator(MigrationFolder.Repository()).MigrateAsync(Target(url), dryRun: true, CancellationToken.None);

        report.Pending.ShouldNotBeEmpty();
        (await DatabaseFingerprint.TakeAsync(server, url)).ShouldBe("schema public");
    }

    [SkippableFact]
    public async Task An_applied_script_that_was_edited_stops_the_run_before_anything_changes()
    {
        server.Require(log);
        var url = await server.CreateDatabaseAsync();
        _folder.Add("0001_notes.sql", "CREATE TABLE notes (id int);");
        await Migrator(_folder.Scripts).MigrateAsync(Target(url), dryRun: false, CancellationToken.None);
        _folder.Add("0001_notes.sql", "CREATE TABLE notes (id bigint);").Add("0002_tags.sql", "CREATE TABLE tags (id int);");
        var before = await DatabaseFingerprint.TakeAsync(server, url);

        var failure = await Should.ThrowAsync<BuildFailure>(() => Migrator(_folder.Scripts).MigrateAsync(Target(url), dryRun: false, CancellationToken.None));

        failure.ExitCode.ShouldBe(ExitCodes.Failed);
        failure.Message.ShouldStartWith("0001_notes.sql (applied as ");
        failure.Message.ShouldContain("changed after being applied to the dev database (dummy) postgres@127.0.0.1");
        failure.Message.ShouldContain("put the change in a new migration");
        (await DatabaseFingerprint.TakeAsync(server, url)).ShouldBe(before);
    }

    [SkippableFact]
    public async Task A_failing_script_rolls_back_whole_and_the_error_names_the_script_and_line()
    {
        server.Require(log);
        var url = await server.CreateDatabaseAsync();
        _folder.Add("0001_notes.sql", "CREATE TABLE notes (id int);")
            .Add("0002_tags.sql", "-- tags for notes\nCREATE TABLE tags (id int);\n\nINSERT INTO tags\n  SELECT id FROM missing_table;\n");

        var failure = await Should.ThrowAsync<BuildFailure>(() => Migrator(_folder.Scripts).MigrateAsync(Target(url), dryRun: false, CancellationToken.None));

        failure.Message.ShouldStartWith("Migration 0002_tags.sql failed at line 5 on the dev database (dummy) postgres@127.0.0.1:");
        failure.Message.ShouldContain("relation \"missing_table\" does not exist (SQLSTATE 42P01)");
        failure.Message.ShouldContain("Earlier in this run 0001_notes.sql applied and stay");
        failure.Message.ShouldNotContain(server.Password);
        failure.Message.ShouldNotContain("\n");
        (await JournalAsync(url)).Select(entry => entry.Script).ShouldBe(["0001_notes.sql"]);
        (await DatabaseFingerprint.TakeAsync(server, url)).ShouldNotContain("tags");
    }

    [SkippableFact]
    public async Task Two_concurrent_runs_take_turns_and_apply_each_script_once()
    {
        server.Require(log);
        var url = await server.CreateDatabaseAsync();
        _folder.Add("0001_notes.sql", "CREATE TABLE notes (id int);").Add("0002_tags.sql", "CREATE TABLE tags (id int);");
        var (first, second) = (new CapturedOutput(), new CapturedOutput());
        Task<MigrationReport>[] runs;
        // Both runs queue behind a lock the test holds, so they meet at the lock whatever the machine's load.
        await using (var held = await HeldMigrationLock.TakeAsync(server, url))
        {
            runs =
            [
                new DatabaseMigrator(_folder.Scripts, first.Output).MigrateAsync(Target(url, first), dryRun: false, CancellationToken.None),
                new DatabaseMigrator(_folder.Scripts, second.Output).MigrateAsync(Target(url, second), dryRun: false, CancellationToken.None),
            ];
            await held.WaitForWaitersAsync(2);
        }

        var reports = await Task.WhenAll(runs);

        reports.SelectMany(run => run.Applied).Order().ShouldBe(["0001_notes.sql", "0002_tags.sql"]);
        reports.Count(run => run.Applied.Count == 0).ShouldBe(1);
        first.Text.ShouldContain("Waiting up to 600 s for the migration lock");
        second.Text.ShouldContain("(test-holder, since");
        (await JournalAsync(url)).Count.ShouldBe(2);
    }

    [SkippableFact]
    public async Task A_run_that_cannot_get_the_lock_in_time_gives_up_with_a_clear_error_and_changes_nothing()
    {
        server.Require(log);
        var url = await server.CreateDatabaseAsync();
        await using var holder = await server.OpenAsync(PostgresServer.DatabaseOf(url));
        await using (var take = new NpgsqlCommand("SET application_name = 'stuck-deploy'; SELECT pg_advisory_lock(x'42756E004D696772'::bigint)", holder))
            await take.ExecuteNonQueryAsync();
        _folder.Add("0001_notes.sql", "CREATE TABLE notes (id int);");
        var before = await DatabaseFingerprint.TakeAsync(server, url);

        var failure = await Should.ThrowAsync<BuildFailure>(() =>
            new DatabaseMigrator(_folder.Scripts, _log.Output, TimeSpan.FromMilliseconds(300)).MigrateAsync(Target(url), dryRun: false, CancellationToken.None));

        failure.Message.ShouldStartWith("Gave up after 0.3 s waiting for the migration lock on the dev database (dummy)");
        failure.Message.ShouldContain("(stuck-deploy, since");
        (await DatabaseFingerprint.TakeAsync(server, url)).ShouldBe(before);
    }

    [SkippableTheory]
    [InlineData("test", false)]
    [InlineData("stage", false)]
    [InlineData("prod", false)]
    [InlineData("prod", true)]
    public async Task A_real_environment_refuses_a_database_that_carries_the_dummy_marker(string environment, bool dryRun)
    {
        server.Require(log);
        var url = await DummyDatabaseAsync("dev");
        var before = await DatabaseFingerprint.TakeAsync(server, url);

        var failure = await Should.ThrowAsync<BuildFailure>(() =>
            Migrator(MigrationFolder.Repository()).MigrateAsync(DatabaseTarget.Resolve(environment, DatabaseKind.Real, null, url, _log.Output), dryRun, CancellationToken.None));

        failure.ExitCode.ShouldBe(ExitCodes.Failed);
        failure.Message.ShouldStartWith($"Refusing to migrate the {environment} database (real) postgres@127.0.0.1:");
        failure.Message.ShouldContain("it carries the dummy marker (bun_dummy.marker, claimed for dev)");
        failure.Message.ShouldContain("a real environment never runs on a dummy database");
        failure.Message.ShouldEndWith($"Check that --database-url points at {environment}'s real database. Nothing was changed.");
        failure.Message.ShouldNotContain(server.Password);
        failure.Message.ShouldNotContain("\n");
        (await DatabaseFingerprint.TakeAsync(server, url)).ShouldBe(before);
    }

    [SkippableFact]
    public async Task Local_with_database_real_refuses_a_database_that_carries_the_dummy_marker()
    {
        server.Require(log);
        var url = await DummyDatabaseAsync("local");
        var before = await DatabaseFingerprint.TakeAsync(server, url);

        var failure = await Should.ThrowAsync<BuildFailure>(() =>
            Migrator(MigrationFolder.Repository()).MigrateAsync(DatabaseTarget.Resolve("local", DatabaseKind.Dummy, DatabaseKind.Real, url, _log.Output), dryRun: false, CancellationToken.None));

        failure.Message.ShouldStartWith("Refusing to migrate the local database (real, by --database real)");
        (await DatabaseFingerprint.TakeAsync(server, url)).ShouldBe(before);
    }

    [SkippableFact]
    public async Task A_dummy_environment_migrates_a_database_that_carries_the_dummy_marker()
    {
        server.Require(log);
        var url = await DummyDatabaseAsync("dev");
        _folder.Add("0001_create_notes.sql", MigrationFolder.Repository().All[0].Sql).Add("9999_tags.sql", "CREATE TABLE tags (id int);");

        var report = await Migrator(_folder.Scripts).MigrateAsync(Target(url), dryRun: false, CancellationToken.None);

        report.Applied.ShouldBe(["9999_tags.sql"]);
    }

    [SkippableFact]
    public async Task A_real_migration_queued_behind_a_reset_is_ended_and_changes_nothing()
    {
        server.Require(log);
        var url = await server.CreateDatabaseAsync();
        var (resetLog, migrateLog) = (new CapturedOutput(), new CapturedOutput());
        var scripts = MigrationFolder.Repository();
        Task<ResetReport> reset;
        Task<MigrationReport> migrate;
        await using (var held = await HeldMigrationLock.TakeAsync(server, url))
        {
            // Both find the database empty and unmarked while they queue; the lock is granted in queue order.
            reset = new DummyDatabaseReset(new DatabaseMigrator(scripts, resetLog.Output), resetLog.Output)
                .ResetAsync(DatabaseTarget.Resolve("dev", DatabaseKind.Dummy, null, url, resetLog.Output), 10, DummyDatabaseReset.DefaultSeed, CancellationToken.None);
            await held.WaitForWaitersAsync(1);
            migrate = new DatabaseMigrator(scripts, migrateLog.Output)
                .MigrateAsync(DatabaseTarget.Resolve("test", DatabaseKind.Real, null, url, migrateLog.Output), dryRun: false, CancellationToken.None);
            await held.WaitForWaitersAsync(2);
        }

        var report = await reset;
        report.Claimed.ShouldBeTrue();
        var seeded = await DatabaseFingerprint.TakeAsync(server, url);
        var failure = await Should.ThrowAsync<BuildFailure>(() => migrate);

        // The reset replaces the database by a clone of its template, ending the sessions on it, the queued migration's too.
        report.ConnectionsEnded.ShouldBe(1);
        failure.Message.ShouldStartWith("Taking the migration lock failed: terminating connection due to administrator command");
        migrateLog.Text.ShouldContain("Waiting up to 600 s for the migration lock");
        (await DatabaseFingerprint.TakeAsync(server, url)).ShouldBe(seeded);
    }

    [SkippableFact]
    public async Task Migrations_this_checkout_lacks_are_reported_and_left_alone_after_a_rollback()
    {
        server.Require(log);
        var url = await server.CreateDatabaseAsync();
        _folder.Add("0001_notes.sql", "CREATE TABLE notes (id int);").Add("0002_tags.sql", "CREATE TABLE tags (id int);");
        await Migrator(_folder.Scripts).MigrateAsync(Target(url), dryRun: false, CancellationToken.None);
        using var olderCode = new MigrationFolder().Add("0001_notes.sql", "CREATE TABLE notes (id int);");

        var report = await Migrator(olderCode.Scripts).MigrateAsync(Target(url), dryRun: false, CancellationToken.None);

        report.Unknown.ShouldBe(["0002_tags.sql"]);
        _log.Text.ShouldContain("has 1 applied migration(s) this checkout does not have (0002_tags.sql): it is ahead of this code");
        (await JournalAsync(url)).Count.ShouldBe(2);
    }

    [SkippableFact]
    public async Task A_wrong_password_is_a_one_line_error_without_the_url_or_the_password()
    {
        server.Require(log);
        var url = await server.CreateDatabaseAsync();
        var wrong = server.UrlFor(PostgresServer.DatabaseOf(url), password: "Wrong:pass@word");

        var failure = await Should.ThrowAsync<BuildFailure>(() => Migrator(MigrationFolder.Repository()).MigrateAsync(Target(wrong), dryRun: false, CancellationToken.None));

        failure.Message.ShouldStartWith("Connecting to the dev database (dummy) postgres@127.0.0.1:");
        failure.Message.ShouldContain("the server refused the login (password authentication failed for user \"postgres\")");
        failure.Message.ShouldNotContain("Wrong:pass@word");
        failure.Message.ShouldNotContain("Wrong%3Apass");
        failure.Message.ShouldNotContain("\n");
    }

    [SkippableFact]
    public async Task An_unreachable_server_is_a_one_line_error_that_names_host_and_port()
    {
        server.Require(log);
        var closedPort = server.Port == 1 ? 2 : 1;

        var failure = await Should.ThrowAsync<BuildFailure>(() =>
            Migrator(MigrationFolder.Repository()).MigrateAsync(Target(server.UrlFor("notes", port: closedPort)), dryRun: false, CancellationToken.None));

        failure.Message.ShouldBe(
            $"Connecting to the dev database (dummy) postgres@127.0.0.1:{closedPort}/notes failed: cannot reach 127.0.0.1:{closedPort} (ConnectionRefused). Check that the server runs and that --database-url names the right host and port.");
    }

    [SkippableFact]
    public async Task A_missing_database_is_named_with_what_to_do()
    {
        server.Require(log);

        var failure = await Should.ThrowAsync<BuildFailure>(() =>
            Migrator(MigrationFolder.Repository()).MigrateAsync(Target(server.UrlFor("no_such_db")), dryRun: false, CancellationToken.None));

        failure.Message.ShouldEndWith("failed: database \"no_such_db\" does not exist. Create it (createdb no_such_db) or fix the database name in --database-url.");
    }

    private DatabaseMigrator Migrator(MigrationScripts scripts) => new(scripts, _log.Output);

    // A database that ResetDummyDatabase claimed for the environment, migrated and seeded.
    private async Task<string> DummyDatabaseAsync(string environment)
    {
        var url = await server.CreateDatabaseAsync();
        var target = DatabaseTarget.Resolve(environment, DatabaseKind.Dummy, null, url, _log.Output);
        await new DummyDatabaseReset(Migrator(MigrationFolder.Repository()), _log.Output).ResetAsync(target, 10, DummyDatabaseReset.DefaultSeed, CancellationToken.None);
        return url;
    }

    private DatabaseTarget Target(string url, CapturedOutput? output = null) =>
        DatabaseTarget.Resolve("dev", DatabaseKind.Dummy, null, url, (output ?? _log).Output);

    private async Task<List<(string Script, string Checksum)>> JournalAsync(string url)
    {
        await using var connection = await server.OpenAsync(PostgresServer.DatabaseOf(url));
        await using var command = new NpgsqlCommand("SELECT script, checksum FROM public.bun_migrations ORDER BY script", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var entries = new List<(string, string)>();
        while (await reader.ReadAsync())
            entries.Add((reader.GetString(0), reader.GetString(1)));
        return entries;
    }

    public void Dispose() => _folder.Dispose();
}
