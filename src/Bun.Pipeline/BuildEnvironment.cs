using System.Collections;

namespace Bun.Pipeline;

/// <summary>Everything a run reads from the outside world, passed in so tests can run builds in-process.</summary>
public sealed record BuildEnvironment(
    IReadOnlyDictionary<string, string> Variables,
    TextWriter Out,
    TextWriter Error,
    bool IsTerminal,
    string WorkingDirectory,
    int Cores)
{
    public static BuildEnvironment FromProcess() => new(
        Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
            .ToDictionary(entry => (string)entry.Key, entry => (string?)entry.Value ?? ""),
        Console.Out,
        Console.Error,
        !Console.IsOutputRedirected,
        Directory.GetCurrentDirectory(),
        Environment.ProcessorCount);

    public bool IsGitHubActions => Variables.GetValueOrDefault("GITHUB_ACTIONS") == "true";
}
