using System.Diagnostics;
using Bun.Pipeline.Parameters;

namespace Bun.Build.Tests;

/// <summary>What one run of <c>./build.sh</c> printed and returned.</summary>
public sealed record BuildRun(int ExitCode, string Out, string Error)
{
    public string All => Out + Error;
}

/// <summary>Runs the repository's real build as a process, the way a person or CI does.</summary>
public static class BuildProcess
{
    private static readonly IReadOnlyList<ParameterDescriptor> BuildParameters = ParameterDescriptor.Discover(typeof(Build));

    public static async Task<BuildRun> RunAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, string? root = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo("bash")
        {
            WorkingDirectory = root ?? RepositoryRoot.Folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("build.sh");
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var name in new[] { "GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "GITHUB_EVENT_PATH", "GITHUB_EVENT_NAME", "GITHUB_REF", "GITHUB_REF_NAME", "GITHUB_HEAD_REF", "GITHUB_BASE_REF", "GITHUB_SHA" })
            start.Environment.Remove(name);
        // Hermetic: none of the developer's own parameter variables (BUN_ENVIRONMENT, GITHUB_API_URL, …) reach the build under test.
        foreach (var name in start.Environment.Keys.Where(name => BuildParameters.Any(parameter => parameter.IsSetBy(name))).ToList())
            start.Environment.Remove(name);
        start.Environment["NO_COLOR"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(deadline.Token);
        return new BuildRun(process.ExitCode, await output, await error);
    }
}
