using Bun.Delivery;
using Bun.Pipeline.Cli;
using Bun.Pipeline.Targets;

namespace Bun.Build;

/// <summary>Bun's own build. Each concern lives in its own partial file: Build.Compile.cs, Build.Test.cs, …</summary>
public sealed partial class Build : DeliveryBuild
{
    public static Task<int> Main(string[] arguments) => BuildRunner.RunAsync<Build>(arguments, build => build.Test);

    private string Solution => RootDirectory / "Bun.sln";
}
