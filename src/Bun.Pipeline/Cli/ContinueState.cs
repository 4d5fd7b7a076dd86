using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Bun.Pipeline.Execution;
using Bun.Pipeline.Parameters;

namespace Bun.Pipeline.Cli;

/// <summary>
/// What <c>--continue</c> resumes: the targets that succeeded in the last failed run of the same command line, in
/// <c>.nuke/temp/continue/&lt;hash of the arguments&gt;.json</c>. Only target names are stored, never the arguments (they may hold secrets).
/// </summary>
internal sealed class ContinueState(AbsolutePath file)
{
    public static ContinueState For(AbsolutePath root, IReadOnlyList<string> arguments)
    {
        var invocation = string.Join('\0', arguments.Where(argument => !string.Equals(argument, "--continue", StringComparison.OrdinalIgnoreCase)));
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(invocation)))[..16];
        return new ContinueState(root / ".nuke" / "temp" / "continue" / $"{key}.json");
    }

    public IReadOnlyList<string> Succeeded() =>
        File.Exists(file) ? JsonSerializer.Deserialize<string[]>(File.ReadAllText(file)) ?? [] : [];

    /// <summary>After a failed run, the targets that have succeeded so far (in it or the runs it resumed); after a successful one, nothing.</summary>
    public void Record(BuildReport report, IReadOnlyCollection<string> resumed)
    {
        if (report.Succeeded)
        {
            if (File.Exists(file))
                File.Delete(file);
            return;
        }

        Directory.CreateDirectory(file.Parent);
        var succeeded = report.Results.Where(result => result.Status == TargetStatus.Succeeded).Select(result => result.Name).Union(resumed).ToArray();
        File.WriteAllText(file, JsonSerializer.Serialize(succeeded));
    }
}
