using Bun.Pipeline.Cli;
using Bun.Pipeline.Parameters;
using Bun.Pipeline.Targets;
using Bun.Pipeline.Workflows;

namespace Bun.Build.Tests.Workflows;

/// <summary>
/// The stale check: the committed workflows, launch profiles and parameters schema are exactly what GenerateWorkflows
/// produces from the build class now (each file is its own snapshot).
/// </summary>
public sealed class GeneratedFilesTests
{
    public static TheoryData<string> GeneratedPaths() => new(new Bun.Build.Build().Generated().Select(file => file.Path));

    [Theory]
    [MemberData(nameof(GeneratedPaths))]
    public void Committed_file_matches_what_the_build_class_generates(string path)
    {
        var generated = new Bun.Build.Build().Generated().Single(file => file.Path == path);
        var committed = RepositoryRoot.PathOf(path.Split('/'));

        File.Exists(committed).ShouldBeTrue($"{path} is missing: run ./build.sh GenerateWorkflows and commit it");
        File.ReadAllText(committed).ShouldBe(generated.Content, $"{path} is stale: run ./build.sh GenerateWorkflows and commit it");
    }

    [Fact]
    public void Generates_the_four_workflows_the_launch_profiles_and_the_schema()
    {
        var paths = new Bun.Build.Build().Generated().Select(file => file.Path);

        paths.ShouldBe([
            ".github/workflows/ci.yml", ".github/workflows/cleanup.yml", ".github/workflows/promote-prod.yml", ".github/workflows/rollback.yml",
            "build/Properties/launchSettings.json", ".nuke/build.schema.json",
        ]);
    }

    [Fact]
    public void No_generated_workflow_is_left_over_from_an_earlier_declaration()
    {
        var stale = GeneratedFiles.StaleWorkflows(AbsolutePath.From(RepositoryRoot.Folder), new Bun.Build.Build().Generated());

        stale.ShouldBeEmpty("these workflows are no longer declared: run ./build.sh GenerateWorkflows and commit the deletion");
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
        parameters.ShouldAllBe(parameter => schema.Contains($"\"{SchemaWriter.Key(parameter)}\""));
        schema.ShouldContain("\"BaseImage\": {", Case.Sensitive, "--base-image keeps its key although its member is BaseImageReference");
    }

    [Fact]
    public void Launch_profiles_run_every_target_and_the_common_parameter_sets()
    {
        var build = new Bun.Build.Build();
        var launch = System.Text.Json.JsonDocument.Parse(build.Generated().Single(file => file.Path == LaunchSettings.PathInRepository).Content);
        var profiles = launch.RootElement.GetProperty("profiles").EnumerateObject()
            .ToDictionary(profile => profile.Name, profile => profile.Value.GetProperty("commandLineArgs").GetString());

        TargetDiscovery.Discover(build).Specs.ShouldAllBe(target => profiles[target.Name] == target.Name);
        profiles["Rollback --environment stage"].ShouldBe("Rollback --environment stage");
        profiles["Ci --plan (pull request)"].ShouldBe("Ci --plan --event pull_request --base main");
    }
}
