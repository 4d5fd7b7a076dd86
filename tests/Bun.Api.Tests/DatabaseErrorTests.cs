using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Bun.Api.Database;
using Npgsql;
using Xunit.Abstractions;

namespace Bun.Api.Tests;

/// <summary>
/// What anonymous callers hear when the database fails a request: a plain sentence and the right status, never the text
/// of Npgsql or PostgreSQL (which names hosts, tables, constraints and values).
/// </summary>
[Collection(NotesDatabaseCollection.Name)]
public sealed class DatabaseErrorTests(PostgresServer database, ITestOutputHelper log)
{
    [SkippableFact]
    public async Task A_title_with_a_character_the_database_cannot_store_is_a_400_in_plain_words()
    {
        database.Require(log);
        await using var api = await RunningApi.StartAsync($"--BUN_DATABASE_URL={await database.CreateMigratedDatabaseAsync()}");

        using var response = await api.Client.PostAsJsonAsync("/notes", new { title = "nul\u0000byte" });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await DetailAsync(response)).ShouldBe("The database refused a value: one is too long or holds a character it cannot store.");
    }

    [SkippableTheory]
    [InlineData("ALTER TABLE notes ALTER COLUMN body TYPE varchar(5)", "much too long", "too long or holds a character")]
    [InlineData("ALTER TABLE notes ADD CONSTRAINT body_is_no_password CHECK (body <> 'hunter2')", "hunter2", "missing, out of range or breaks a rule")]
    public async Task A_value_the_schema_refuses_is_a_400_that_names_no_part_of_the_schema(string schemaChange, string body, string detail)
    {
        database.Require(log);
        var url = await database.CreateMigratedDatabaseAsync();
        await ExecuteAsync(url, schemaChange);
        await using var api = await RunningApi.StartAsync($"--BUN_DATABASE_URL={url}");

        using var response = await api.Client.PostAsJsonAsync("/notes", new { title = "Refused", body });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var text = await response.Content.ReadAsStringAsync();
        text.ShouldContain(detail);
        ShouldHoldNoDatabaseText(text);
        text.ShouldNotContain("body_is_no_password");
        text.ShouldNotContain("varying");
    }

    [SkippableFact]
    public async Task A_duplicate_that_a_unique_index_refuses_is_a_409()
    {
        database.Require(log);
        var url = await database.CreateMigratedDatabaseAsync();
        await ExecuteAsync(url, "CREATE UNIQUE INDEX notes_title_unique ON notes (title)");
        await using var api = await RunningApi.StartAsync($"--BUN_DATABASE_URL={url}");

        using var first = await api.Client.PostAsJsonAsync("/notes", new { title = "Only once" });
        using var second = await api.Client.PostAsJsonAsync("/notes", new { title = "Only once" });

        first.StatusCode.ShouldBe(HttpStatusCode.Created);
        second.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var text = await second.Content.ReadAsStringAsync();
        ShouldHoldNoDatabaseText(text);
        text.ShouldNotContain("notes_title_unique");
        text.ShouldNotContain("Only once");
    }

    [SkippableFact]
    public async Task Notes_answer_503_without_internals_while_the_database_does_not_answer()
    {
        await using var api = await RunningApi.StartAsync("--BUN_DATABASE_URL=postgres://bun:secret@127.0.0.1:1/bun");

        using var list = await api.Client.GetAsync("/notes");
        using var create = await api.Client.PostAsJsonAsync("/notes", new { title = "Hello" });

        list.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        create.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        (await DetailAsync(list)).ShouldBe(DatabaseErrors.Unavailable);
        ShouldHoldNoDatabaseText(await create.Content.ReadAsStringAsync());
    }

    [SkippableFact]
    public async Task A_database_without_the_services_tables_is_a_500_that_names_no_table()
    {
        database.Require(log);
        await using var api = await RunningApi.StartAsync($"--BUN_DATABASE_URL={await database.CreateDatabaseAsync()}");

        using var response = await api.Client.GetAsync("/notes");

        response.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        (await DetailAsync(response)).ShouldBe("The service failed to use its database.");
    }

    private static void ShouldHoldNoDatabaseText(string text)
    {
        text.ShouldNotContain("SQLSTATE");
        text.ShouldNotContain("127.0.0.1");
        text.ShouldNotContain("notes\\\"");
        foreach (var fragment in new[] { "23505", "23514", "22001", "22021", "42P01", "duplicate key", "violates", "relation", "Failed to connect", "Connection refused", "secret" })
            text.ShouldNotContain(fragment, Case.Insensitive);
    }

    private static async Task<string> DetailAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        ShouldHoldNoDatabaseText(text);
        return JsonDocument.Parse(text).RootElement.GetProperty("detail").GetString()!;
    }

    private async Task ExecuteAsync(string url, string sql)
    {
        await using var connection = await database.OpenAsync(PostgresServer.DatabaseOf(url));
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
