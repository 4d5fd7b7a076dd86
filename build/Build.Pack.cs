using Bun.Pipeline.Parameters;
using Bun.Pipeline.Targets;

namespace Bun.Build;

/// <summary>The NuGet packages other repositories adopt Bun with (README, "Use Bun in your repository").</summary>
public sealed partial class Build
{
    /// <summary>In the order they are packed: Bun.Delivery depends on Bun.Pipeline, the template on both.</summary>
    private static readonly string[] PackageProjects = ["Bun.Pipeline", "Bun.Delivery", "Bun.Templates"];

    [Parameter("Where Pack puts the packages (.nupkg and .snupkg); default .nuke/temp/packages.")]
    public AbsolutePath? Output { get; set; }

    public Target Pack => _ => _
        .Description("Packs Bun.Pipeline, Bun.Delivery and the Bun.Templates template, versioned by the git tag vX.Y.Z (MinVer), into --output.")
        .Executes(async cancellation =>
        {
            var output = Output ?? RootDirectory / ".nuke" / "temp" / "packages";
            await WarnWhenTreeIsDirtyAsync(cancellation);
            var started = DateTime.UtcNow.AddSeconds(-1);
            foreach (var project in PackageProjects)
            {
                // Always a CI build: normalised paths and SourceLink, so a package is the same whoever packs the commit.
                await Processes.RunAsync("dotnet",
                [
                    "pack", RootDirectory / "src" / project / $"{project}.csproj", "--configuration", "Release", "--output", output,
                    "--nologo", "-p:ContinuousIntegrationBuild=true",
                ], cancellation);
            }
            foreach (var package in PackagesWrittenSince(output, started))
                Log.Success($"Packed {Path.GetFileName(package)}");
            Log.Info($"Packages in {output}");
        });

    // MinVer versions a dirty tree like its last commit, so the packages would claim a version whose code no commit holds.
    private async Task WarnWhenTreeIsDirtyAsync(CancellationToken cancellation)
    {
        var status = await Processes.RunAsync("git", ["status", "--porcelain", "--untracked-files=normal"], cancellation, RootDirectory, echo: false);
        if (status.Lines.Any(line => line.Length > 0))
            Log.Warning("Pack: the working tree has uncommitted changes, so the packages' version carries no clean tag: " +
                        "it names the last commit, not this code. Commit (and tag vX.Y.Z for a release) before publishing them.");
    }

    private static IEnumerable<string> PackagesWrittenSince(string folder, DateTime started) =>
        Directory.GetFiles(folder, "*.nupkg").Concat(Directory.GetFiles(folder, "*.snupkg"))
            .Where(file => File.GetLastWriteTimeUtc(file) >= started)
            .Order(StringComparer.Ordinal);
}
