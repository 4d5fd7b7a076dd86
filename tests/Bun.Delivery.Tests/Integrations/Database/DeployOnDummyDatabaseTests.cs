using Bun.Delivery.Integrations.Database;
using Bun.Delivery.Model.Rules;
using Bun.Delivery.Tests.EndToEnd;
using Xunit.Abstractions;

namespace Bun.Delivery.Tests.Integrations.Database;

/// <summary>The migration a deploy runs first refuses a dummy database for a real environment, through the real build.</summary>
[Collection(PostgresCollection.Name)]
public sealed class DeployOnDummyDatabaseTests(PostgresServer server, ITestOutputHelper log)
{
    [SkippableFact]
    public async Task DeployStage_on_a_database_that_carries_the_dummy_marker_stops_before_the_GitOps_commit()
    {
        server.Require(log);
        var url = await server.CreateDatabaseAsync();
        var output = new CapturedOutput();
        await new DummyDatabaseReset(new DatabaseMigrator(MigrationFolder.Repository(), output.Output), output.Output)
            .ResetAsync(DatabaseTarget.Resolve("dev", DatabaseKind.Dummy, null, url, output.Output), 10, DummyDatabaseReset.DefaultSeed, CancellationToken.None);
        var before = await DatabaseFingerprint.TakeAsync(server, url);
        await using var checkout = await DeliveryCheckout.CreateAsync("release/9.9.9");
        await checkout.RecordPushedImageAsync("127.0.0.1:5000/bun-api", DeliveryCheckout.FakeDigest(checkout.Commit), $"9.9.9-rc.{checkout.Commit[..7]}");
        checkout.Arguments.AddRange(["--database-url", url]);
        var head = await checkout.RemoteHeadAsync();

        var run = await checkout.RunAsync("DeployStage");

        run.ExitCode.ShouldBe(1, run.All);
        run.Out.ShouldContain("Refusing to migrate the stage database (real)");
        run.Out.ShouldContain("it carries the dummy marker (bun_dummy.marker, claimed for dev)");
        (await checkout.RemoteHeadAsync()).ShouldBe(head);
        checkout.Simulator.Requests.ShouldNotContain(request => request.Path.EndsWith("/sync"));
        (await DatabaseFingerprint.TakeAsync(server, url)).ShouldBe(before);
        run.All.ShouldNotContain(server.Password);
    }
}
