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

/// <summary>The service reads its database setting with the build's parser: every form --database-url accepts, the service accepts.</summary>
[Collection(NotesDatabaseCollection.Name)]
public sealed class DatabaseConnectionTests(PostgresServer database, ITestOutputHelper log)
{
    public static TheoryData<string> Forms => new()
    {
        "postgres://{user}:{password}@127.0.0.1:{port}/{database}",
        "postgresql://{user}:{password}@127.0.0.1:{port}/{database}",
        "  postgres://{user}:{password}@127.0.0.1:{port}/{database}  ",
        "postgres://{user}:{password}@127.0.0.1:{port}/{database}?sslmode=disable&application_name=notes-check&connect_timeout=5",
        "postgres://{user}:{password}@127.0.0.1:{port}/{database}?Timeout=5&Pooling=false",
        "Host=127.0.0.1;Port={port};Database={database};Username={user};Password='{raw-password}'",
    };

    [SkippableTheory]
    [MemberData(nameof(Forms))]
    public async Task Every_form_the_build_accepts_serves_the_service_too(string form)
    {
        database.Require(log);
        var url = await database.CreateDatabaseAsync();
        var value = form.Replace("{user}", PostgresServer.Superuser).Replace("{password}", Uri.EscapeDataString(database.Password))
            .Replace("{raw-password}", database.Password).Replace("{port}", database.Port.ToString()).Replace("{database}", PostgresServer.DatabaseOf(url));

        // The build migrates the database with it...
        var output = new BuildOutput(new StringWriter(), new OutputStyle(Colour: false, GitHubActions: false), new SecretMasker());
        var target = DatabaseTarget.Resolve("dev", DatabaseKind.Dummy, null, value, output);
        var report = await new DatabaseMigrator(MigrationScripts.Load(RepositoryRoot.PathOf("db", "migrations")), output).MigrateAsync(target, dryRun: false, CancellationToken.None);
        report.Applied.ShouldNotBeEmpty();

        // ...and the service serves from it, with the same secret.
        await using var api = await RunningApi.StartAsync($"--BUN_DATABASE_URL={value}");
        using var created = await api.Client.PostAsJsonAsync("/notes", new { title = "One secret" });
        var health = await api.Client.GetFromJsonAsync<JsonElement>("/healthz");

        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        health.GetProperty("database").GetProperty("state").GetString().ShouldBe("up");
    }

    [SkippableFact]
    public void A_postgres_url_becomes_settings_with_its_parts_decoded_and_an_ipv6_host_unbracketed()
    {
        var settings = DatabaseConnection.Settings("BUN_DATABASE_URL", "postgres://bun%40team:p%3Ass%2Fw@[::1]:6543/notes?sslmode=disable&connect_timeout=7");

        (settings.Host, settings.Port, settings.Database, settings.Username, settings.Password, settings.SslMode, settings.Timeout)
            .ShouldBe(("::1", 6543, "notes", "bun@team", "p:ss/w", SslMode.Disable, 7));
        settings.ApplicationName.ShouldBe("bun-api");
    }

    [SkippableFact]
    public async Task A_setting_that_is_no_database_url_stops_the_start_naming_the_setting_but_not_the_value()
    {
        var failure = await Should.ThrowAsync<InvalidOperationException>(() => RunningApi.StartAsync("--BUN_DATABASE_URL=mysql://root:hunter2@db/notes"));

        failure.Message.ShouldBe(
            "BUN_DATABASE_URL is not a postgres://user:password@host:port/database URL or an Npgsql connection string (Host=…;Database=…): it is a URL, but not a postgres:// or postgresql:// one. The value is a secret, so it is not shown.");
    }
}
