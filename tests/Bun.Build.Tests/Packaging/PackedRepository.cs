using System.Diagnostics;
using System.IO.Compression;

namespace Bun.Build.Tests.Packaging;

/// <summary>
/// One <c>./build.sh Pack</c> of a scratch copy of the repository, as a release would pack it: a GitHub origin
/// (SourceLink maps the sources to it), the tag <c>v1.2.3</c> on its commit, and one untracked file, so the run
/// also shows the dirty-tree warning. Shared by the tests of <see cref="PackagesTests"/>.
/// </summary>
public sealed class PackedRepository : IAsyncLifetime
{
    public const string Version = "1.2.3";
    public const string RepositoryUrl = "https://github.com/bun-org/bun";

    private BootstrapRepository _copy = null!;

    public BuildRun Pack { get; private set; } = null!;
    public string Commit { get; private set; } = null!;
    public string Feed => _copy.PathOf("feed");
    public string Root => _copy.Root;

    public async Task InitializeAsync()
    {
        _copy = await BootstrapRepository.CopyAsync();
        await Git.RunAsync(_copy.Root, "remote", "add", "origin", RepositoryUrl + ".git");
        await Git.RunAsync(_copy.Root, "tag", "v" + Version);
        Commit = await Git.RunAsync(_copy.Root, "rev-parse", "HEAD");
        await File.WriteAllTextAsync(_copy.PathOf("uncommitted.txt"), "not in any commit");
        Pack = await BuildProcess.RunAsync(["Pack", "--output", "feed"], root: _copy.Root, timeout: TimeSpan.FromMinutes(15));
    }

    public string PackagePath(string id, string extension = "nupkg") => Path.Combine(Feed, $"{id}.{Version}.{extension}");

    public static string ReadEntry(ZipArchive package, string name)
    {
        var entry = package.GetEntry(name) ?? throw new InvalidOperationException($"no {name} in the package");
        using var reader = new StreamReader(entry.Open());
        return reader.ReadToEnd();
    }

    public Task DisposeAsync()
    {
        _copy.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>dotnet as a process, with the packages of a test kept in a private folder.</summary>
public static class Dotnet
{
    public static async Task<BuildRun> RunAsync(string directory, string nugetPackages, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        start.Environment["NUGET_PACKAGES"] = nugetPackages;
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await process.WaitForExitAsync(deadline.Token);
        return new BuildRun(process.ExitCode, await output, await error);
    }
}
