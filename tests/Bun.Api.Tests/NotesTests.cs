using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit.Abstractions;

namespace Bun.Api.Tests;

[Collection(NotesDatabaseCollection.Name)]
public sealed class NotesTests(PostgresServer database, ITestOutputHelper log)
{
    [SkippableFact]
    public async Task A_created_note_is_listed_newest_first()
    {
        database.Require(log);
        await using var api = await RunningApi.StartAsync($"--BUN_DATABASE_URL={await database.CreateMigratedDatabaseAsync()}");

        using var first = await api.Client.PostAsJsonAsync("/notes", new { title = "First", body = "one" });
        using var second = await api.Client.PostAsJsonAsync("/notes", new { title = "  Second  " });
        var notes = (await api.Client.GetFromJsonAsync<JsonElement[]>("/notes"))!;

        first.StatusCode.ShouldBe(HttpStatusCode.Created);
        first.Headers.Location!.ToString().ShouldStartWith("/notes/");
        notes.Select(note => note.GetProperty("title").GetString()).ShouldBe(["Second", "First"]);
        notes[1].GetProperty("body").GetString().ShouldBe("one");
        notes[0].GetProperty("body").GetString().ShouldBe("");
    }

    [SkippableFact]
    public async Task Healthz_is_healthy_when_the_database_answers()
    {
        database.Require(log);
        await using var api = await RunningApi.StartAsync($"--ConnectionStrings:Bun={await database.CreateMigratedDatabaseAsync()}");

        var health = await api.Client.GetFromJsonAsync<JsonElement>("/healthz");

        health.GetProperty("status").GetString().ShouldBe("healthy");
        health.GetProperty("database").GetProperty("state").GetString().ShouldBe("up");
    }
}
