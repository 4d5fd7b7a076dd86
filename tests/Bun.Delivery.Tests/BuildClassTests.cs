using Bun.Pipeline.Cli;
using Bun.Pipeline.Parameters;
using Bun.Pipeline.Targets;
using RepositoryBuild = Bun.Build.Build;

namespace Bun.Delivery.Tests;

public sealed class BuildClassTests
{
    private static readonly string[] DeliveryTargets =
    [
        "Ci", "DockerImage", "PushImage", "DeployDev", "DeployTest", "DeployStage", "PromoteProd", "Rollback", "Verify", "History",
        "CleanupFeatureImages", "MigrateDatabase", "ResetDummyDatabase", "ConfigureRepository", "BackMergeFix",
    ];

    [Fact]
    public void Targets_can_be_read_before_the_context_is_known_so_the_schema_can_be_generated()
    {
        var build = new RepositoryBuild();

        var targets = TargetDiscovery.Discover(build).Specs;
        var schema = SchemaWriter.Generate(targets, ParameterDescriptor.Discover(build.GetType()));

        DeliveryTargets.ShouldBeSubsetOf(targets.Select(target => target.Name));
        DeliveryTargets.ShouldAllBe(name => schema.Contains($"\"{name}\""));
    }
}
