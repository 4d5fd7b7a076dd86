using Bun.Delivery.Tests.Integrations.Database;
using Xunit.Abstractions;

namespace Bun.Delivery.Tests.EndToEnd;

/// <summary>"The deploy targets migrate their environment's database first when one is configured": through the real build.</summary>
[Collection(PostgresCollection.Name)]
public sealed class DeployMigrationTests(PostgresServer server, ITestOutputHelper log)
{
    private const string Release = "release/9.9.9";

    [SkippableFact]
    public async Task DeployStage_with_a_database_url_migrates_the_stage_database_then_deploys()
    {
        server.Require(log);
        var url = await server.CreateDatabaseAsync();
        await using var checkout = await DeliveryCheckout.CreateAsync(Release);
        var image = await RecordAsync(checkout);
        checkout.Arguments.AddRange(["--database-url", url]);

        var run = await checkout.RunAsync("DeployStage");

        run.ExitCode.ShouldBe(0, run.All);
        (await DatabaseFingerprint.CountAsync(server, url, "bun_migrations")).ShouldBe(1);
        run.Out.ShouldContain("0001_create_notes.sql");
        run.Out.IndexOf("0001_create_notes.sql", StringComparison.Ordinal).ShouldBeLessThan(run.Out.IndexOf("deploy bun-api", StringComparison.Ordinal));
        (await checkout.PinnedAsync("stage")).ShouldBe(image);
        run.All.ShouldNotContain(url);
        run.All.ShouldNotContain(server.Password);
    }

    [SkippableFact]
    public async Task A_migration_that_fails_stops_the_deploy_before_the_GitOps_commit()
    {
        server.Require(log);
        var url = await server.CreateDatabaseAsync();
        await using var checkout = await DeliveryCheckout.CreateAsync(Release);
        await File.WriteAllTextAsync(Path.Combine(checkout.Root, "db", "migrations", "0002_broken.sql"), "ALTER TABLE missing_table ADD COLUMN x int;\n");
        await RecordAsync(checkout);
        checkout.Arguments.AddRange(["--database-url", url]);
        var head = await checkout.RemoteHeadAsync();

        var run = await checkout.RunAsync("DeployStage");

        run.ExitCode.ShouldBe(1, run.All);
        run.Out.ShouldContain("Migration 0002_broken.sql failed");
        (await checkout.RemoteHeadAsync()).ShouldBe(head);
        checkout.Simulator.Requests.ShouldNotContain(request => request.Path.EndsWith("/sync"));
    }

    [SkippableFact]
    public async Task A_rollback_never_migrates()
    {
        server.Require(log);
        var url = await server.CreateDatabaseAsync();
        await using var checkout = await DeliveryCheckout.CreateAsync(Release);
        await RecordAsync(checkout);
        (await checkout.RunAsync("DeployStage")).ExitCode.ShouldBe(0);
        await checkout.CommitAsync();
        await RecordAsync(checkout);
        (await checkout.RunAsync("DeployStage")).ExitCode.ShouldBe(0);
        checkout.Arguments.AddRange(["--database-url", url]);

        var run = await checkout.RunAsync("Rollback", "--environment", "stage");

        run.ExitCode.ShouldBe(0, run.All);
        (await DatabaseFingerprint.TakeAsync(server, url)).ShouldNotContain("bun_migrations");
    }

    private static async Task<string> RecordAsync(DeliveryCheckout checkout)
    {
        var digest = DeliveryCheckout.FakeDigest(checkout.Commit);
        await checkout.RecordPushedImageAsync("127.0.0.1:5000/bun-api", digest, $"9.9.9-rc.{checkout.Commit[..7]}");
        return digest.Value;
    }
}
