#if (delivery)
using Bun.Delivery;
#endif
using Bun.Pipeline.Cli;
using Bun.Pipeline.Failures;
using Bun.Pipeline.Parameters;
using Bun.Pipeline.Targets;

/// <summary>This repository's build: ./build.sh --help lists its targets and parameters. Add a concern as a partial file (Build.Pack.cs, …).</summary>
#if (delivery)
public sealed partial class Build : DeliveryBuild
#else
public sealed partial class Build : Bun.Pipeline.Build
#endif
{
    public static Task<int> Main(string[] arguments) => BuildRunner.RunAsync<Build>(arguments, build => build.Test);

    [Parameter("Build configuration: Debug or Release.")]
    public Configuration Configuration { get; set; } = Configuration.Debug;

    [Parameter("The solution Compile and Test use; default the one solution file in the repository root.")]
    public AbsolutePath? Solution { get; set; }

    public Target Compile => _ => _
        .Description("Builds the solution.")
        .Executes(async cancellation => await Processes.RunAsync("dotnet",
            ["build", FindSolution(), "--configuration", Configuration.ToString(), "--nologo"], cancellation));

    public Target Test => _ => _
        .Description("Runs the solution's tests.")
        .DependsOn(Compile)
        .Executes(async cancellation => await Processes.RunAsync("dotnet",
            ["test", FindSolution(), "--no-build", "--configuration", Configuration.ToString(), "--nologo"], cancellation));

    private string FindSolution()
    {
        if (Solution is not null)
            return Solution;
        var found = Directory.GetFiles(RootDirectory, "*.sln").Concat(Directory.GetFiles(RootDirectory, "*.slnx")).ToList();
        return found.Count == 1
            ? found[0]
            : throw BuildFailure.BadInput(
                $"Compile looked for one solution file in {RootDirectory} and found {found.Count}; pass --solution <file> or keep exactly one *.sln or *.slnx there.");
    }
}

public enum Configuration
{
    Debug,
    Release,
}
