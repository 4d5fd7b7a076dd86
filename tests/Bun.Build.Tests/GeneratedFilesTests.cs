using Bun.Pipeline.Cli;
using Bun.Pipeline.Parameters;
using Bun.Pipeline.Targets;

namespace Bun.Build.Tests;

/// <summary>Snapshots of files generated from the build class: the committed copy must be what the build generates now.</summary>
public sealed class GeneratedFilesTests
{
    [Fact]
    public void Committed_build_schema_matches_the_build_class()
    {
        var build = new Bun.Build.Build();
        var generated = SchemaWriter.Generate(TargetDiscovery.Discover(build).Specs, ParameterDescriptor.Discover(build.GetType()));

        var committed = File.ReadAllText(RepositoryRoot.PathOf(".nuke", "build.schema.json"));

        committed.ShouldBe(generated, "the schema is stale: run ./build.sh Compile and commit .nuke/build.schema.json");
    }

    [Fact]
    public void Build_schema_lists_every_target_and_parameter()
    {
        var build = new Bun.Build.Build();
        var targets = TargetDiscovery.Discover(build).Specs;
        var parameters = ParameterDescriptor.Discover(build.GetType());

        var schema = SchemaWriter.Generate(targets, parameters);

        targets.ShouldNotBeEmpty();
        parameters.ShouldNotBeEmpty();
        targets.ShouldAllBe(target => schema.Contains($"\"{target.Name}\""));
        parameters.ShouldAllBe(parameter => schema.Contains($"\"{parameter.MemberName}\""));
    }
}
