namespace Bun.Pipeline.Failures;

/// <summary>A failure meant for a person: what went wrong and what to do, plus the exit code.</summary>
public class BuildFailure(string message, int exitCode = ExitCodes.Failed) : Exception(message)
{
    public int ExitCode { get; } = exitCode;

    public static BuildFailure BadInput(string message) => new(message, ExitCodes.BadInput);
}

public static class ExitCodes
{
    public const int Succeeded = 0;
    public const int Failed = 1;
    public const int BadInput = 2;
    public const int Cancelled = 130;
}
