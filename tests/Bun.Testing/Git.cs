using System.Diagnostics;

namespace Bun.Testing;

/// <summary>Real git repositories in temp folders, run with the git on PATH.</summary>
public static class Git
{
    /// <summary>A repository with one commit, checked out on <paramref name="branch"/>; returns the commit.</summary>
    public static async Task<string> InitAsync(string directory, string branch)
    {
        await RunAsync(directory, "init", "--quiet", "--initial-branch", branch);
        await RunAsync(directory, "-c", "user.name=Bun Tests", "-c", "user.email=tests@bun.invalid", "-c", "commit.gpgsign=false", "commit", "--quiet", "--allow-empty", "--message", "first");
        return await RunAsync(directory, "rev-parse", "HEAD");
    }

    /// <summary>Runs git in <paramref name="directory"/>; returns its output, trimmed; throws with git's error when it fails.</summary>
    public static async Task<string> RunAsync(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"git {string.Join(' ', arguments)} failed in {directory}: {await error}");
        return (await output).Trim();
    }
}
