using Bun.Delivery;
using Bun.Delivery.Orchestration.Deployments;
using Bun.Delivery.Orchestration.Images;
using Bun.Pipeline.Cli;
using Bun.Pipeline.Targets;

namespace Bun.Build;

/// <summary>Bun's own build. Each concern lives in its own partial file: Build.Compile.cs, Build.Test.cs, …</summary>
public sealed partial class Build : DeliveryBuild
{
    public static Task<int> Main(string[] arguments) => BuildRunner.RunAsync<Build>(arguments, build => build.Test);

    private string Solution => RootDirectory / "Bun.sln";

    protected override async Task InitializeAsync(CancellationToken cancellation)
    {
        await base.InitializeAsync(cancellation);
        // A malformed --image, or monitoring values out of range (--max-error-ratio 1.5), are bad input before anything runs, not a failed deploy.
        if (Image is not null)
            DeploymentActions.CheckHandedOverImage(Image);
        Monitoring.Read();
    }

    // Which base DockerImage builds on is decided only when DockerImage may run: it asks the engine and a registry.
    protected override async Task PrepareAsync(IReadOnlySet<string> reachable, CancellationToken cancellation)
    {
        if (reachable.Contains(nameof(DockerImage)))
            _baseImageChoice = await BaseImageChoice.DecideAsync(BaseImageReference, HostEnvironment.Variables.GetValueOrDefault("DOCKER_HOST"), Log, cancellation);
    }
}
