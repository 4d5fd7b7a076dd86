using Bun.Delivery.Integrations.Database;
using Bun.Delivery.Model.Rules;
using Bun.Pipeline.Failures;
using Npgsql;
using Xunit.Abstractions;

namespace Bun.Delivery.Tests.Integrations.Database;

[Collection(PostgresCollection.Name)]
public sealed class DummyTemplateTests(PostgresServer server, ITestOutputHelper log) : IDisposable
{
    private const int Seed = DummyDatabaseReset.DefaultSeed;
    private readonly CapturedOutput _log = new();
    private readonly MigrationFolder _folder = new();

    [SkippableFact]
    public async Task A_warm_reset_swaps_in_the_spare_and_gives_the_same_data_as_the_cold_one()
    {
        server.Require(log);
        var url = await server.CreateDatabaseAsync();

        var cold = await ResetAsync(url, rows: 300);
        var coldData = await DatabaseFingerprint.TakeAsync(server, url);
        await DatabaseFingerprint.ExecuteAsync(server, url, "DELETE FROM notes WHERE id < 100; CREATE TABLE scratch (id int)");
        var warm = await ResetAsync(url, rows: 300);
        await warm.ServerWork;

        cold.Path.ShouldBe(ResetPath.Seeded);
        warm.Path.ShouldBe(ResetPath.SwappedSpare);
        warm.Migration.Applied.ShouldBeEmpty();
        WithoutBuildTimes(await DatabaseFingerprint.TakeAsync(server, url)).ShouldBe(WithoutBuildTimes(coldData));
        coldData.ShouldContain("public.notes: 300 rows");
        coldData.ShouldContain("bun_dummy.marker: 1 rows");
        _log.Text.ShouldContain($"The template {TemplateOf(url)} matches (migrations, seed and rows are unchanged) and its spare is ready.");
        (await DatabasesNamedAfterAsync(url)).ShouldBe([PostgresServer.DatabaseOf(url), $"{PostgresServer.DatabaseOf(url)}_bun_spare", TemplateOf(url)]);
        (await ResetAsync(url, rows: 300)).Path.ShouldBe(ResetPath.SwappedSpare);
    }

    [SkippableFact]
    public async Task Without_a_ready_spare_the_reset_clones_the_template_and_the_server_makes_the_next_spare()
    {
        server.Require(log);
        var url = await server.CreateDatabaseAsync();
        var cold = await ResetAsync(url, rows: 40);
        var coldData = await DatabaseFingerprint.TakeAsync(server, url);
        await DatabaseFingerprint.ExecuteAsync(server, url, $"DROP DATABASE {PostgresServer.DatabaseOf(url)}_bun_spare");

        var warm = await ResetAsync(url, rows: 40);
        await warm.ServerWork;

        warm.Path.ShouldBe(ResetPath.ClonedTemplate);
        _log.Text.ShouldContain("no spare was ready");
        WithoutBuildTimes(await DatabaseFingerprint.TakeAsync(server, url)).ShouldBe(WithoutBuildTimes(coldData));
        (await ResetAsync(url, rows: 40)).Path.ShouldBe(ResetPath.SwappedSpare);
    }

    [SkippableFact]
    public async Task A_database_under_the_spares_name_that_is_not_a_clone_of_the_template_is_never_swapped_in()
    {
        server.Require(log);
        var url = await server.CreateDatabaseAsync();
        await ResetAsync(url, rows: 25);
        var seeded = await DatabaseFingerprint.TakeAsync(server, url);
        var spare = $"{PostgresServer.DatabaseOf(url)}_bun_spare";
        await DatabaseFingerprint.ExecuteAsync(server, url, $"DROP DATABASE {spare}");
        await DatabaseFingerprint.ExecuteAsync(server, url, $"CREATE DATABASE {spare} ALLOW_CONNECTIONS false");

        var report = await ResetAsync(url, rows: 25);

        report.Path.ShouldBe(ResetPath.ClonedTemplate);
        WithoutBuildTimes(await DatabaseFingerprint.TakeAsync(server, url)).ShouldBe(WithoutBuildTimes(seeded));
        (await Should.ThrowAsync<PostgresException>(() => report.ServerWork)).SqlState.ShouldBe(PostgresErrorCodes.DuplicateDatabase);
    }

    [SkippableFact]
    public async Task A_template_that_another_session_is_building_is_left_to_it()
    {
        server.Require(log);
        var url = await server.CreateDatabaseAsync();
        await using var builder = await server.OpenAsync("postgres");
        await using (var hold = new NpgsqlCommand(DummyTemplate.BuilderLockSql(TemplateOf(url)), builder))
            (await hold.ExecuteScalarAsync()).ShouldBe(true);
        var started = 0;

        var report = await ResetAsync(url, rows: 15, start: (_, _, _, _) => Task.FromResult($"started {++started}"));
        await report.ServerWork;

        report.Path.ShouldBe(ResetPath.Seeded);
        started.ShouldBe(0);
        _log.Text.ShouldContain($"The template {TemplateOf(url)} is being built by another run: seeding the dev database (dummy)");
        (await DatabaseFingerprint.TakeAsync(server, url)).ShouldContain("public.notes: 15 rows");
        (await DatabasesNamedAfterAsync(url)).ShouldBe([PostgresServer.DatabaseOf(url)]);
    }

    [SkippableFact]
    public async Task A_cold_reset_hands_the_template_build_to_its_starter_and_leaves_no_other_database_behind()
    {
        server.Require(log);
        var url = await server.CreateDatabaseAsync();
        var asked = new List<(string Database, int Rows, int Seed)>();

        var report = await ResetAsync(url, rows: 12, start: (dummy, rows, seed, _) =>
        {
            asked.Add((dummy.Url.Database, rows, seed));
            return Task.FromResult("by the test");
        });
        await report.ServerWork;

        report.Path.ShouldBe(ResetPath.Seeded);
        asked.ShouldBe([(PostgresServer.DatabaseOf(url), 12, Seed)]);
        _log.Text.ShouldContain($"The template {TemplateOf(url)} and its spare are built by the test; the next reset swaps the spare in.");
        (await DatabasesNamedAfterAsync(url)).ShouldBe([PostgresServer.DatabaseOf(url)]);
    }

    [SkippableFact]
    public async Task The_template_is_sealed_and_marked_so_no_one_can_connect_to_it_or_claim_it()
    {
        server.Require(log);
        var url = await server.CreateDatabaseAsync();
        await ResetAsync(url, rows: 10);

        var (isTemplate, allowsConnections, comment) = await TemplateStateAsync(url);

        isTemplate.ShouldBeTrue();
        allowsConnections.ShouldBeFalse();
        comment.ShouldStartWith($"Bun dummy template of {PostgresServer.DatabaseOf(url)} for dev, key ");
        var real = DatabaseTarget.Resolve("stage", DatabaseKind.Real, null, server.UrlFor(TemplateOf(url)), _log.Output);
        var failure = await Should.ThrowAsync<BuildFailure>(() => new DatabaseMigrator(MigrationFolder.Repository(), _log.Output).MigrateAsync(real, dryRun: false, CancellationToken.None));
        failure.Message.ShouldContain("is not currently accepting connections");
    }

    [SkippableFact]
    public async Task A_changed_migration_invalidates_the_template()
    {
        server.Require(log);
        var url = await server.CreateDatabaseAsync();
        _folder.Add("0001_create_notes.sql", MigrationFolder.Repository().All[0].Sql);
        await ResetAsync(url, rows: 10, _folder.Scripts);
        _folder.Add("0002_tags.sql", "CREATE TABLE tags (id int);");

        var report = await ResetAsync(url, rows: 10, _folder.Scripts);

        report.Path.ShouldBe(ResetPath.Seeded);
        report.Migration.Applied.ShouldBe(["0001_create_notes.sql", "0002_tags.sql"]);
        _log.Text.ShouldContain("it was built for another key");
        _log.Text.ShouldContain("a migration, the seed or the row count changed), so it is rebuilt");
        (await DatabaseFingerprint.TakeAsync(server, url)).ShouldContain("table public.tags");
    }

    [SkippableFact]
    public async Task Another_seed_or_row_count_is_another_key()
    {
        server.Require(log);
        var url = await server.CreateDatabaseAsync();
        await ResetAsync(url, rows: 10);

        (await ResetAsync(url, rows: 11)).Path.ShouldBe(ResetPath.Seeded);
        (await ResetAsync(url, rows: 11, seed: Seed + 1)).Path.ShouldBe(ResetPath.Seeded);
        (await ResetAsync(url, rows: 11, seed: Seed + 1)).Path.ShouldBe(ResetPath.SwappedSpare);
    }

    [SkippableTheory]
    [InlineData("COMMENT ON DATABASE {0} IS NULL", "it carries no template marker")]
    [InlineData("COMMENT ON DATABASE {0} IS 'Bun dummy template of x for dev, key 0123456789abcdef0123'", "it was built for another key (0123456789ab…")]
    public async Task A_template_without_its_marker_or_with_another_key_is_never_used_but_rebuilt(string damage, string said)
    {
        server.Require(log);
        var url = await server.CreateDatabaseAsync();
        await ResetAsync(url, rows: 20);
        var expected = await DatabaseFingerprint.TakeAsync(server, url);
        await DatabaseFingerprint.ExecuteAsync(server, url, string.Format(damage, TemplateOf(url)));

        var report = await ResetAsync(url, rows: 20);

        report.Path.ShouldBe(ResetPath.Seeded);
        _log.Text.ShouldContain(said);
        WithoutBuildTimes(await DatabaseFingerprint.TakeAsync(server, url)).ShouldBe(WithoutBuildTimes(expected));
        (await TemplateStateAsync(url)).Comment.ShouldStartWith("Bun dummy template of");
    }

    [SkippableFact]
    public async Task A_database_under_the_templates_name_that_may_hold_real_data_is_refused_and_left_alone()
    {
        server.Require(log);
        var url = await server.CreateDatabaseAsync();
        await ResetAsync(url, rows: 10);
        var dummy = await DatabaseFingerprint.TakeAsync(server, url);
        var template = TemplateOf(url);
        await DatabaseFingerprint.ExecuteAsync(server, url, $"ALTER DATABASE {template} IS_TEMPLATE false");
        await DatabaseFingerprint.ExecuteAsync(server, url, $"DROP DATABASE {template}");
        await DatabaseFingerprint.ExecuteAsync(server, url, $"CREATE DATABASE {template}");
        var impostor = server.UrlFor(template);
        await DatabaseFingerprint.ExecuteAsync(server, impostor, "CREATE TABLE customers (id int); INSERT INTO customers VALUES (1)");
        var before = await DatabaseFingerprint.TakeAsync(server, impostor);

        var failure = await Should.ThrowAsync<BuildFailure>(() => ResetAsync(url, rows: 10));

        failure.Message.ShouldStartWith($"ResetDummyDatabase refuses to replace the database {template} on 127.0.0.1:");
        failure.Message.ShouldContain("it carries no template marker, no dummy marker, and it is not empty (1 objects, e.g. table public.customers)");
        failure.Message.ShouldEndWith("Nothing was changed.");
        (await DatabaseFingerprint.TakeAsync(server, impostor)).ShouldBe(before);
        (await DatabaseFingerprint.TakeAsync(server, url)).ShouldBe(dummy);
    }

    [SkippableFact]
    public async Task The_reset_ends_the_other_connections_to_the_dummy_database_and_says_how_many()
    {
        server.Require(log);
        var url = await server.CreateDatabaseAsync();
        await ResetAsync(url, rows: 10);
        await using var first = await server.OpenAsync(PostgresServer.DatabaseOf(url));
        await using var second = await server.OpenAsync(PostgresServer.DatabaseOf(url));

        var report = await ResetAsync(url, rows: 10);

        report.ConnectionsEnded.ShouldBe(2);
        _log.Text.ShouldContain($"Ended 2 other connections to the dev database (dummy) postgres@127.0.0.1:{server.Port}/{PostgresServer.DatabaseOf(url)}, then swapped {PostgresServer.DatabaseOf(url)}_bun_spare in");
        await using var query = new NpgsqlCommand("SELECT 1", first);
        await Should.ThrowAsync<Exception>(() => query.ExecuteScalarAsync());
    }

    [SkippableFact]
    public async Task A_reset_that_fails_halfway_leaves_the_old_dummy_database_and_the_next_one_recovers()
    {
        server.Require(log);
        var url = await server.CreateDatabaseAsync();
        _folder.Add("0001_create_notes.sql", MigrationFolder.Repository().All[0].Sql);
        await ResetAsync(url, rows: 30, _folder.Scripts);
        var seeded = await DatabaseFingerprint.TakeAsync(server, url);
        using var broken = new MigrationFolder().Add("0001_create_notes.sql", MigrationFolder.Repository().All[0].Sql).Add("0002_broken.sql", "SELECT 1 / 0;");

        var failure = await Should.ThrowAsync<BuildFailure>(() => ResetAsync(url, rows: 30, broken.Scripts));

        failure.Message.ShouldContain("Migration 0002_broken.sql failed at line 1");
        failure.Message.ShouldEndWith($"The dev database (dummy) postgres@127.0.0.1:{server.Port}/{PostgresServer.DatabaseOf(url)} was left as it was.");
        (await DatabaseFingerprint.TakeAsync(server, url)).ShouldBe(seeded);
        (await DatabasesNamedAfterAsync(url)).ShouldBe([PostgresServer.DatabaseOf(url)]);
        var report = await ResetAsync(url, rows: 30, _folder.Scripts);
        report.Claimed.ShouldBeFalse();
        report.Path.ShouldBe(ResetPath.Seeded);
        _log.Text.ShouldContain("there is none yet");
        WithoutBuildTimes(await DatabaseFingerprint.TakeAsync(server, url)).ShouldBe(WithoutBuildTimes(seeded));
    }

    [SkippableFact]
    public async Task Without_the_right_to_create_databases_the_reset_works_in_place_and_gives_the_same_data()
    {
        server.Require(log);
        var (withTemplate, inPlace) = (await server.CreateDatabaseAsync(), await server.CreateDatabaseAsync());
        var role = $"r_{Guid.NewGuid():N}";
        await DatabaseFingerprint.ExecuteAsync(server, inPlace,
            $"CREATE ROLE {role} LOGIN PASSWORD 'pw-{role}' NOCREATEDB; ALTER DATABASE {PostgresServer.DatabaseOf(inPlace)} OWNER TO {role}; ALTER SCHEMA public OWNER TO {role}");
        var asRole = $"postgres://{role}:pw-{role}@127.0.0.1:{server.Port}/{PostgresServer.DatabaseOf(inPlace)}";

        await ResetAsync(withTemplate, rows: 200);
        var report = await ResetAsync(asRole, rows: 200);

        report.Path.ShouldBe(ResetPath.InPlace);
        _log.Text.ShouldContain($"in place, without a template: the login {role} may not create databases (CREATEDB)");
        var notes = await Task.WhenAll(new[] { withTemplate, inPlace }.Select(NotesAsync));
        notes[1].ShouldBe(notes[0]);
    }

    public void Dispose() => _folder.Dispose();

    private Task<ResetReport> ResetAsync(string url, int rows, MigrationScripts? scripts = null, int seed = Seed, TemplateBuildStart? start = null) =>
        new DummyDatabaseReset(new DatabaseMigrator(scripts ?? MigrationFolder.Repository(), _log.Output), _log.Output, start)
            .ResetAsync(DatabaseTarget.Resolve("dev", DatabaseKind.Dummy, null, url, _log.Output), rows, seed, CancellationToken.None);

    private static string TemplateOf(string url) => DummyTemplate.NameFor(PostgresServer.DatabaseOf(url));

    // The dummy database and the ones its resets keep beside it, by name.
    private async Task<List<string>> DatabasesNamedAfterAsync(string url)
    {
        await using var connection = await server.OpenAsync("postgres");
        await using var command = new NpgsqlCommand("SELECT datname FROM pg_database WHERE datname LIKE $1 ORDER BY datname", connection)
        {
            Parameters = { new() { Value = PostgresServer.DatabaseOf(url) + "%" } },
        };
        await using var reader = await command.ExecuteReaderAsync();
        var names = new List<string>();
        while (await reader.ReadAsync())
            names.Add(reader.GetString(0));
        return names;
    }

    private async Task<(bool IsTemplate, bool AllowsConnections, string Comment)> TemplateStateAsync(string url)
    {
        await using var connection = await server.OpenAsync("postgres");
        await using var command = new NpgsqlCommand(
            "SELECT datistemplate, datallowconn, coalesce(shobj_description(oid, 'pg_database'), '') FROM pg_database WHERE datname = $1", connection)
        {
            Parameters = { new() { Value = TemplateOf(url) } },
        };
        await using var reader = await command.ExecuteReaderAsync();
        (await reader.ReadAsync()).ShouldBeTrue();
        return (reader.GetBoolean(0), reader.GetBoolean(1), reader.GetString(2));
    }

    // A rebuilt template's marker and journal rows record when it was built; everything else must be equal.
    private static string WithoutBuildTimes(string fingerprint) =>
        string.Join("\n", fingerprint.Split('\n').Select(line => line.StartsWith("bun_dummy.marker:", StringComparison.Ordinal) || line.StartsWith("public.bun_migrations:", StringComparison.Ordinal) ? line.Split(',')[0] : line));

    private async Task<string> NotesAsync(string url) =>
        (await DatabaseFingerprint.TakeAsync(server, url)).Split('\n').Single(line => line.StartsWith("public.notes:", StringComparison.Ordinal));
}
