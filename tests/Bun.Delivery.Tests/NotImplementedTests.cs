using Bun.Delivery.Tests.Support;

namespace Bun.Delivery.Tests;

/// <summary>Targets whose work arrives with later issues fail loudly when run; none passes silently.</summary>
public sealed class NotImplementedTests
{
    public static TheoryData<Scenario, string[]> Placeholders() => new()
    {
        { Scenario.Push("feature/login"), ["DockerImage"] },
        { Scenario.Push("feature/login"), ["PushImage"] },
        { Scenario.Push("main"), ["DeployDev"] },
        { Scenario.Push("main"), ["DeployTest"] },
        { Scenario.Push("release/1.4.0"), ["DeployStage"] },
        { Scenario.Push("release/1.4.0"), ["PromoteProd"] },
        { Scenario.Push("main"), ["Rollback", "--environment", "test"] },
        { Scenario.Closed("feature/login", merged: true), ["CleanupFeatureImages"] },
    };

    [Theory]
    [MemberData(nameof(Placeholders))]
    public async Task A_target_without_its_work_fails_with_not_implemented_yet(Scenario context, string[] arguments)
    {
        // A bare --skip runs only the invoked target, so Compile and Test stay out of it.
        var run = await Hosts.OnGitHubAsync(context, Hosts.FixtureCommit, [.. arguments, "--skip"]);

        run.ExitCode.ShouldBe(1, run.All);
        run.All.ShouldContain($"::error title={arguments[0]}::not implemented yet");
    }
}
