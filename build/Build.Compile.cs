using Bun.Pipeline.Parameters;
using Bun.Pipeline.Targets;

namespace Bun.Build;

public sealed partial class Build
{
    [Parameter("Build configuration: Debug or Release.")]
    public Configuration Configuration { get; set; } = Configuration.Debug;

    public Target Compile => _ => _
        .Description("Builds Bun.sln.")
        .Group("build")
        .Executes(async cancellation => await Processes.RunAsync("dotnet",
            ["build", Solution, "--configuration", Configuration.ToString(), "--nologo", "-clp:NoSummary"], cancellation));
}

public enum Configuration
{
    Debug,
    Release,
}
