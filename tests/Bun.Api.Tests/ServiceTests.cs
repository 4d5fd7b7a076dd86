using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Bun.Api.Tests;

public sealed class ServiceTests
{
    [Fact]
    public async Task Healthz_answers_200_and_reports_the_database_degraded_while_none_is_configured()
    {
        await using var api = await RunningApi.StartAsync();

        using var response = await api.Client.GetAsync("/healthz");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var health = await response.Content.ReadFromJsonAsync<JsonElement>();
        health.GetProperty("status").GetString().ShouldBe("degraded");
        health.GetProperty("database").GetProperty("state").GetString().ShouldBe("not-configured");
    }

    [Fact]
    public async Task Healthz_answers_503_without_the_database_drivers_text_when_the_configured_database_does_not_answer()
    {
        await using var api = await RunningApi.StartAsync("--BUN_DATABASE_URL=postgres://bun:secret@127.0.0.1:1/bun");

        using var response = await api.Client.GetAsync("/healthz");

        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        var health = await response.Content.ReadFromJsonAsync<JsonElement>();
        health.GetProperty("database").GetProperty("state").GetString().ShouldBe("down");
        health.GetProperty("database").GetProperty("detail").GetString().ShouldBe("The database is unavailable; try again later.");
        health.GetRawText().ShouldNotContain("secret");
        health.GetRawText().ShouldNotContain("127.0.0.1");
    }

    [Fact]
    public async Task Version_reports_the_image_version_and_source_commit_given_at_build_time()
    {
        await using var api = await RunningApi.StartAsync("--BUN_VERSION=1.4.0-rc.1a2b3c4", "--BUN_SOURCE_COMMIT=1a2b3c4d5e6f");

        var version = await api.Client.GetFromJsonAsync<JsonElement>("/version");

        version.GetProperty("version").GetString().ShouldBe("1.4.0-rc.1a2b3c4");
        version.GetProperty("sourceCommit").GetString().ShouldBe("1a2b3c4d5e6f");
    }

    [Fact]
    public async Task Version_says_local_and_unknown_when_the_build_gave_nothing()
    {
        await using var api = await RunningApi.StartAsync();

        var version = await api.Client.GetFromJsonAsync<JsonElement>("/version");

        version.GetProperty("version").GetString().ShouldBe("0.0.0-local");
        version.GetProperty("sourceCommit").GetString().ShouldBe("unknown");
    }

    [Fact]
    public async Task Notes_answer_503_with_the_reason_while_no_database_is_configured()
    {
        await using var api = await RunningApi.StartAsync();

        using var list = await api.Client.GetAsync("/notes");
        using var create = await api.Client.PostAsJsonAsync("/notes", new { title = "Hello", body = "World" });

        list.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        create.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        (await list.Content.ReadAsStringAsync()).ShouldContain("BUN_DATABASE_URL");
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task A_note_without_a_title_is_rejected_before_the_database_is_asked(string title)
    {
        await using var api = await RunningApi.StartAsync();

        using var response = await api.Client.PostAsJsonAsync("/notes", new { title, body = "text" });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldContain("A note needs a title.");
    }

    [Fact]
    public async Task A_note_with_an_overlong_title_is_rejected()
    {
        await using var api = await RunningApi.StartAsync();

        using var response = await api.Client.PostAsJsonAsync("/notes", new { title = new string('t', 201), body = "" });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }
}
