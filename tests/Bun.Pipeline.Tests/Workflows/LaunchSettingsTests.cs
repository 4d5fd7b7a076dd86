using Bun.Pipeline.Failures;
using Bun.Pipeline.Targets;
using Bun.Pipeline.Workflows;

namespace Bun.Pipeline.Tests.Workflows;

public sealed class LaunchSettingsTests
{
    private static readonly IReadOnlyList<TargetSpec> Targets = TargetDiscovery.Discover(new WorkflowBuild()).Specs;

    [Fact]
    public void Every_target_gets_a_profile_and_declared_profiles_follow()
    {
        var json = System.Text.Json.JsonDocument.Parse(LaunchSettings.Generate(Targets, [new LaunchProfile("Publish beta", "Publish --channel beta")]));

        var profiles = json.RootElement.GetProperty("profiles").EnumerateObject().ToList();
        profiles.Select(profile => profile.Name).ShouldBe(["Compile", "Test", "Publish", "Publish beta"]);
        profiles[3].Value.GetProperty("commandLineArgs").GetString().ShouldBe("Publish --channel beta");
        profiles.ShouldAllBe(profile => profile.Value.GetProperty("commandName").GetString() == "Project");
    }

    [Fact]
    public void A_profile_running_an_unknown_target_is_an_error()
    {
        var failure = Should.Throw<BuildFailure>(() => LaunchSettings.Generate(Targets, [new LaunchProfile("Ship it", "Pubilsh --channel beta")]));

        failure.Message.ShouldStartWith("Launch profile 'Ship it' runs the unknown target 'Pubilsh'.");
    }
}
