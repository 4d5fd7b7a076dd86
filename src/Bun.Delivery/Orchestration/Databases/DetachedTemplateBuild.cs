using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Bun.Delivery.Integrations.Database;
using Bun.Pipeline.Parameters;

namespace Bun.Delivery.Orchestration.Databases;

/// <summary>When a cold reset builds the dummy database's template and spare: after it returns, or before.</summary>
public enum TemplateBuildMode
{
    /// <summary>In a process of its own that outlives the reset (<c>PrepareDummyTemplate</c>), so nobody waits for it.</summary>
    Background,

    /// <summary>In the reset's own run, before it returns: slower, but the next reset is fast as soon as this one ends.</summary>
    Wait,
}

/// <summary>
/// Runs <c>PrepareDummyTemplate</c> as a process of its own, started from this build's own binary, which outlives the
/// build: in a session of its own (setsid, where there is one), so that closing the terminal does not end it, with no
/// standard stream of the build's, so that whoever reads the build's output is not kept waiting, and its output in
/// <c>.nuke/temp/dummy-template.log</c>. The database URL goes in its environment, never on its command line.
/// </summary>
public sealed class DetachedTemplateBuild(AbsolutePath root, Assembly buildAssembly)
{
    public const string LogFile = ".nuke/temp/dummy-template.log";

    /// <summary>Only a build running as its own program can start itself again; one hosted elsewhere (a test host) cannot.</summary>
    public bool CanStart => Assembly.GetEntryAssembly() == buildAssembly && Environment.ProcessPath is not null && !OperatingSystem.IsWindows();

    /// <summary>A <see cref="TemplateBuildStart"/>; the build always seeds with <see cref="DummyDatabaseReset.DefaultSeed"/>, so the seed is not passed on.</summary>
    public Task<string> StartAsync(DatabaseTarget dummy, int rows, int seed, CancellationToken cancellation)
    {
        var log = root / LogFile;
        Directory.CreateDirectory(Path.GetDirectoryName(log)!);
        var start = new ProcessStartInfo("/bin/sh") { WorkingDirectory = root, UseShellExecute = false };
        foreach (var argument in new[]
                 {
                     "-c", "exec $(command -v setsid) \"$@\" </dev/null >>\"$BUN_TEMPLATE_LOG\" 2>&1",
                     "sh", Environment.ProcessPath!,
                 })
            start.ArgumentList.Add(argument);
        // Started as `dotnet _build.dll`, the assembly is an argument; started through its own executable, it is not.
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
            start.ArgumentList.Add(buildAssembly.Location);
        foreach (var argument in new[] { "PrepareDummyTemplate", "--environment", dummy.Environment, "--rows", rows.ToString(CultureInfo.InvariantCulture) })
            start.ArgumentList.Add(argument);
        start.Environment["BUN_DATABASE_URL"] = dummy.Url.ConnectionString;
        start.Environment["BUN_TEMPLATE_LOG"] = log;
        start.Environment["NO_COLOR"] = "1";
        using var process = Process.Start(start)!;
        return Task.FromResult($"in the background by process {process.Id} (its log: {LogFile})");
    }
}
