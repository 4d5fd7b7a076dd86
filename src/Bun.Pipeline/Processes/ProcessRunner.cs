using System.Text;
using Bun.Pipeline.Failures;
using Bun.Pipeline.Output;
using CliWrap;

namespace Bun.Pipeline.Processes;

/// <summary>What a finished process printed, stdout and stderr interleaved as they arrived.</summary>
public sealed record ProcessResult(int ExitCode, IReadOnlyList<string> Lines)
{
    public string Text => string.Join('\n', Lines);
}

/// <summary>A tool that exited non-zero: the command and the tail of its output (masked when printed).</summary>
public sealed class ProcessFailedException(string command, int exitCode, IReadOnlyList<string> tail)
    : BuildFailure($"`{command}` exited with code {exitCode}.{(tail.Count == 0 ? "" : "\nLast lines:\n" + string.Join('\n', tail))}")
{
    public int ProcessExitCode { get; } = exitCode;
}

/// <summary>
/// The one way targets run tools: output streams through the build output (so secrets are masked),
/// and a non-zero exit throws with the command and its last lines.
/// </summary>
public sealed class ProcessRunner(BuildOutput output)
{
    private const int TailLength = 25;

    public async Task<ProcessResult> RunAsync(
        string program,
        IEnumerable<string> arguments,
        CancellationToken cancellation = default,
        string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null,
        bool echo = true)
    {
        var argumentList = arguments.ToList();
        var command = string.Join(' ', argumentList.Prepend(program).Select(Quote));
        if (echo)
            output.Dim($"> {command}");
        var lines = new List<string>();
        void Collect(string line)
        {
            lock (lines)
                lines.Add(line);
            if (echo)
                output.Info(line);
        }

        var result = await CliWrap.Cli.Wrap(program)
            .WithArguments(argumentList)
            .WithWorkingDirectory(workingDirectory ?? Directory.GetCurrentDirectory())
            .WithEnvironmentVariables(environment ?? new Dictionary<string, string?>())
            .WithStandardOutputPipe(PipeTarget.ToDelegate(Collect, Encoding.UTF8))
            .WithStandardErrorPipe(PipeTarget.ToDelegate(Collect, Encoding.UTF8))
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync(cancellation);

        if (result.ExitCode != 0)
            throw new ProcessFailedException(command, result.ExitCode, lines.TakeLast(TailLength).ToList());
        return new ProcessResult(result.ExitCode, lines);
    }

    private static string Quote(string argument) =>
        argument.Length > 0 && argument.All(character => char.IsLetterOrDigit(character) || "-_./=:@,+".Contains(character))
            ? argument
            : $"'{argument.Replace("'", "'\\''")}'";
}
