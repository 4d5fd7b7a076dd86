namespace Bun.Pipeline.Output;

/// <summary>How output is rendered: ANSI colour only on a terminal without NO_COLOR; workflow commands only in GitHub Actions.</summary>
public sealed record OutputStyle(bool Colour, bool GitHubActions)
{
    public static OutputStyle Detect(IReadOnlyDictionary<string, string> environment, bool isTerminal) => new(
        Colour: isTerminal && !environment.ContainsKey("NO_COLOR") && environment.GetValueOrDefault("TERM") != "dumb",
        GitHubActions: environment.GetValueOrDefault("GITHUB_ACTIONS") == "true");
}

public enum Tone
{
    Plain,
    Dim,
    Heading,
    Success,
    Warning,
    Error,
}
