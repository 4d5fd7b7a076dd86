using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Bun.Api.Database;
using Bun.Delivery.Integrations.Database;
using Bun.Delivery.Model.Rules;
using Bun.Pipeline.Output;
using Npgsql;
using Xunit.Abstractions;

namespace Bun.Api.Tests;

/// <summary>
/// The service against what a dummy environment really holds: a database that the build's ResetDummyDatabase code
/// claimed, migrated and seeded with the default seed, as for dev.
/// </summary>
[Collection(NotesDatabaseCollection.Name)]
public sealed class SeededDatabaseTests(PostgresServer database, ITestOutputHelper log)
{
    // More than one page, so the test sees which notes the first page picks.
    private const int Rows = 250;

    [SkippableFact]
    public async Task Notes_list_the_newest_seeded_notes_of_a_freshly_reset_dummy_database()
    {
        database.Require(log);
        var url = await ResetDummyDatabaseAsync();
        await using var api = await RunningApi.StartAsync($"--BUN_DATABASE_URL={url}");

        var notes = (await api.Client.GetFromJsonAsync<Note[]>("/notes", Json))!;

        // Read straight from the database, by timestamp: the service's id order must be the same order.
        var newest = await ReadAsync(url, $"SELECT id, title, body, created_at FROM notes ORDER BY created_at DESC, id DESC LIMIT {NotesStore.ListLimit}");
        newest.Count.ShouldBe(NotesStore.ListLimit);
        notes.Length.ShouldBe(NotesStore.ListLimit);
        notes[0].ShouldBe(newest[0]);
        notes[0].Id.ShouldBe(Rows);
        notes[0].Title.ShouldNotBeNullOrWhiteSpace();
        notes[0].Body.ShouldNotBeNullOrWhiteSpace();
        notes[0].CreatedAt.ShouldBeInRange(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        notes.ShouldBe(newest);
        notes[^1].Id.ShouldBe(Rows - NotesStore.ListLimit + 1);
    }

    [SkippableFact]
    public async Task A_note_created_after_a_reset_continues_the_seeded_ids_and_lists_first()
    {
        database.Require(log);
        var url = await ResetDummyDatabaseAsync();
        await using var api = await RunningApi.StartAsync($"--BUN_DATABASE_URL={url}");

        using var created = await api.Client.PostAsJsonAsync("/notes", new { title = "After the reset", body = "new" });
        var notes = (await api.Client.GetFromJsonAsync<Note[]>("/notes", Json))!;

        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        created.Headers.Location!.ToString().ShouldBe($"/notes/{Rows + 1}");
        notes[0].Id.ShouldBe(Rows + 1);
        notes[0].Title.ShouldBe("After the reset");
        notes[1].Id.ShouldBe(Rows);
    }

    [SkippableFact]
    public async Task Healthz_reports_a_freshly_reset_dummy_database_healthy()
    {
        database.Require(log);
        var url = await ResetDummyDatabaseAsync();
        await using var api = await RunningApi.StartAsync($"--BUN_DATABASE_URL={url}");

        using var response = await api.Client.GetAsync("/healthz");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var health = await response.Content.ReadFromJsonAsync<JsonElement>();
        health.GetProperty("status").GetString().ShouldBe("healthy");
        health.GetProperty("database").GetProperty("state").GetString().ShouldBe("up");
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // What `ResetDummyDatabase --environment dev --rows 250` does, through the same library calls, on a new database.
    private async Task<string> ResetDummyDatabaseAsync()
    {
        var url = await database.CreateDatabaseAsync();
        var text = new StringWriter();
        var output = new BuildOutput(text, new OutputStyle(Colour: false, GitHubActions: false), new SecretMasker());
        var dev = Environments.Dev;
        var target = DatabaseTarget.Resolve(dev.Name, dev.Database, requested: null, url, output);
        var migrator = new DatabaseMigrator(MigrationScripts.Load(RepositoryRoot.PathOf("db", "migrations")), output);

        var report = await new DummyDatabaseReset(migrator, output).ResetAsync(target, Rows, DummyDatabaseReset.DefaultSeed, CancellationToken.None);

        log.WriteLine(text.ToString());
        report.Claimed.ShouldBeTrue();
        report.Rows.ShouldBe(Rows);
        return url;
    }

    private async Task<List<Note>> ReadAsync(string url, string sql)
    {
        await using var connection = await database.OpenAsync(PostgresServer.DatabaseOf(url));
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var notes = new List<Note>();
        while (await reader.ReadAsync())
            notes.Add(new Note(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3)));
        return notes;
    }
}
