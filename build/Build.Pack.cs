using System.Text.RegularExpressions;
using Bun.Pipeline.Failures;
using Bun.Pipeline.Parameters;
using Bun.Pipeline.Targets;

namespace Bun.Build;

/// <summary>The NuGet packages other repositories adopt Bun with (README, "Use Bun in your repository").</summary>
public sealed partial class Build
{
    /// <summary>In the order they are packed: Bun.Delivery depends on Bun.Pipeline and Bun.Postgres, the template on both.</summary>
    private static readonly string[] PackageProjects = ["Bun.Pipeline", "Bun.Postgres", "Bun.Delivery", "Bun.Templates"];

    [Parameter("Where Pack puts the packages (.nupkg and .snupkg); default .nuke/temp/packages.")]
    public AbsolutePath? Output { get; set; }

    public Target Pack => _ => _
        .Description("Packs Bun.Pipeline, Bun.Delivery and the Bun.Templates template, versioned by the git tag vX.Y.Z (MinVer), into --output.")
        .Group("build")
        .Executes(async cancellation =>
        {
            var output = Output ?? RootDirectory / ".nuke" / "temp" / "packages";
            await WarnWhenTreeIsDirtyAsync(cancellation);
            var version = await PackageVersionAsync(cancellation);
            Log.Info($"Version {version} (from git by MinVer)");
            var started = DateTime.UtcNow.AddSeconds(-1);
            foreach (var project in PackageProjects)
            {
                // Always a CI build: normalised paths and SourceLink, so a package is the same whoever packs the commit.
                // One version for all three, read once: the template must reference the packages packed with it.
                await Processes.RunAsync("dotnet",
                [
                    "pack", ProjectFile(project), "--configuration", "Release", "--output", output, "--nologo",
                    "-p:ContinuousIntegrationBuild=true", $"-p:MinVerVersionOverride={version}",
                ], cancellation);
            }
            foreach (var package in PackagesWrittenSince(output, started))
                Log.Success($"Packed {Path.GetFileName(package)}");
            Log.Info($"Packages in {output}");
        });

    private string ProjectFile(string project) => RootDirectory / "src" / project / $"{project}.csproj";

    private async Task<string> PackageVersionAsync(CancellationToken cancellation)
    {
        var result = await Processes.RunAsync("dotnet",
            ["msbuild", ProjectFile(PackageProjects[0]), "-restore", "-target:MinVer", "-getProperty:MinVerVersion", "-nologo"], cancellation, echo: false);
        var version = result.Lines.LastOrDefault(line => line.Trim().Length > 0)?.Trim() ?? "";
        return SemanticVersion().IsMatch(version)
            ? version
            : throw new BuildFailure($"Pack asked MinVer for the version and got '{version}'; check that this is a git checkout and that `dotnet msbuild -target:MinVer` works.");
    }

    [GeneratedRegex(@"^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$")]
    private static partial Regex SemanticVersion();

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
