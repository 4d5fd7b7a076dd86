using System.Diagnostics;
using Xunit.Abstractions;

namespace Bun.Build.Tests.Workflows;

/// <summary>
/// tools/workflow-validation: @actions/workflow-parser and @action-validator/cli, installed by <c>npm ci</c> (.ci/run does).
/// Under CI=true missing tools fail the test; on a laptop it is skipped with the reason (<see cref="ServiceGate"/>).
/// </summary>
internal static class WorkflowValidators
{
    public static string Folder => RepositoryRoot.PathOf("tools", "workflow-validation");

    public static void Require(ITestOutputHelper log)
    {
        var missing = !Directory.Exists(Path.Combine(Folder, "node_modules", "@actions", "workflow-parser"))
                      || !Directory.Exists(Path.Combine(Folder, "node_modules", "@action-validator", "cli"))
            ? "the validators are not installed: run npm ci in tools/workflow-validation"
            : NodeMissing();
        ServiceGate.Require(missing, "The workflow validators", "Install Node 20 and run npm ci in tools/workflow-validation.", log);
    }

    /// <summary>Runs both validators on the files; the exit code and what they printed.</summary>
    public static async Task<(int ExitCode, string Output)> ValidateAsync(params string[] files)
    {
        var start = new ProcessStartInfo("node") { WorkingDirectory = Folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "--import", "./register.mjs", "validate.mjs" }.Concat(files))
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }

    private static string? NodeMissing()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("node", "--version") { RedirectStandardOutput = true })!;
            process.WaitForExit();
            return process.ExitCode == 0 ? null : "node --version failed";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "node is not on PATH";
        }
    }
}
