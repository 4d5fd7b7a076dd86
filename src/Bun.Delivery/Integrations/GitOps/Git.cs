using Bun.Pipeline.Output;
using Bun.Pipeline.Processes;

namespace Bun.Delivery.Integrations.GitOps;

/// <summary>Runs git in one working copy, authenticated for the GitOps remote, without echoing plumbing to the log.</summary>
internal sealed class Git(ProcessRunner processes, BuildOutput output, GitOpsRemote remote, string workingDirectory)
{
    private static readonly IReadOnlyList<string> Identity =
    [
        "-c", "user.name=Bun pipeline", "-c", "user.email=bun-pipeline@users.noreply.github.com",
        "-c", "commit.gpgsign=false", "-c", "core.hooksPath=/dev/null",
    ];

    public string WorkingDirectory => workingDirectory;

    public async Task<string> RunAsync(IEnumerable<string> arguments, CancellationToken cancellation)
    {
        var result = await processes.RunAsync("git", Identity.Concat(arguments), cancellation, workingDirectory, remote.Environment, echo: false);
        return result.Text.Trim();
    }

    /// <summary>Runs a git command whose exit code is an answer, such as <c>merge-base --is-ancestor</c>: a failure, e.g. an unknown commit, is a no.</summary>
    public async Task<bool> TestAsync(IEnumerable<string> arguments, CancellationToken cancellation)
    {
        try
        {
            await RunAsync(arguments, cancellation);
            return true;
        }
        catch (ProcessFailedException)
        {
            return false;
        }
    }

    /// <summary>A failure's text as it may be shown: secrets masked even before the build output prints it.</summary>
    public string Describe(Exception failure) => output.Secrets.Apply(failure.Message);
}
