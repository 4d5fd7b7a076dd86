namespace Bun.Delivery.Integrations.Docker;

/// <summary>How layer progress is shown: bytes as they move on a terminal, one line per finished layer in CI logs.</summary>
public enum ProgressMode
{
    Live,
    Plain,
}

public static class ProgressModes
{
    public static ProgressMode For(bool isTerminal, bool isGitHubActions) =>
        isTerminal && !isGitHubActions ? ProgressMode.Live : ProgressMode.Plain;
}
