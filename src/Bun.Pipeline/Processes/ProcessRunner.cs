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
/// and a non-zero exit throws with the command and its last lines. A tool inherits the build's environment except
/// the variables that hold the build's secrets (<see cref="Withhold"/>); a tool that needs a secret is given it
/// explicitly, through <c>environment</c>.
/// </summary>
public sealed class ProcessRunner(BuildOutput output)
{
    private const int TailLength = 25;
    private IReadOnlySet<string> _withheld = new HashSet<string>();

    /// <summary>Variables no tool inherits from now on, unless a call passes them explicitly.</summary>
    public void Withhold(IEnumerable<string> variables)
    {
        var withheld = new HashSet<string>(_withheld, StringComparer.Ordinal);
        withheld.UnionWith(variables);
        _withheld = withheld;
    }

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
            .WithEnvironmentVariables(ChildEnvironment(environment))
            .WithStandardOutputPipe(PipeTarget.ToDelegate(Collect, Encoding.UTF8))
            .WithStandardErrorPipe(PipeTarget.ToDelegate(Collect, Encoding.UTF8))
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync(cancellation);

        if (result.ExitCode != 0)
            throw new ProcessFailedException(command, result.ExitCode, lines.TakeLast(TailLength).ToList());
        return new ProcessResult(result.ExitCode, lines);
    }

    // CliWrap removes a variable whose value is null from what the child inherits.
    private Dictionary<string, string?> ChildEnvironment(IReadOnlyDictionary<string, string?>? given)
    {
        var variables = _withheld.ToDictionary(name => name, _ => (string?)null, StringComparer.Ordinal);
        foreach (var (name, value) in given ?? new Dictionary<string, string?>())
            variables[name] = value;
        return variables;
    }

    private static string Quote(string argument) =>
        argument.Length > 0 && argument.All(character => char.IsLetterOrDigit(character) || "-_./=:@,+".Contains(character))
            ? argument
            : $"'{argument.Replace("'", "'\\''")}'";
}
