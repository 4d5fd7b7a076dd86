namespace Bun.Delivery.Integrations.Argo;

/// <summary>
/// How to reach Argo CD (<c>--argocd-server</c>) and log in: a bearer token (<c>--argocd-token</c>), or a username
/// and password exchanged for a session token. The secrets are registered with the build output's masker on connect.
/// </summary>
public sealed record ArgoCdSettings(Uri Server)
{
    public string? Token { get; init; }
    public string? Username { get; init; }
    public string? Password { get; init; }

    /// <summary>The project the applications belong to; with it a missing application answers 404 rather than 403.</summary>
    public string? Project { get; init; }

    /// <summary>How often the application is read while waiting.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long one HTTP request may take before it is abandoned and retried.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>How many times a request that failed in transport (unreachable, 502/503/504 on a read) is sent, in all.</summary>
    public int RequestAttempts { get; init; } = 4;

    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long a sync or rollback waits for another operation on the application to finish before it gives up.</summary>
    public TimeSpan BusyWait { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Reads <c>--argocd-server</c>: a URL, or a host as the argocd CLI takes it (https is assumed).</summary>
    public static Uri ParseServer(string server) =>
        Uri.TryCreate(server.Contains("://", StringComparison.Ordinal) ? server : $"https://{server}", UriKind.Absolute, out var uri)
        && uri.Scheme is "http" or "https" && uri.UserInfo.Length == 0
            ? uri
            : throw Bun.Pipeline.Failures.BuildFailure.BadInput(
                "--argocd-server is not a usable address: expected https://argocd.example.com or argocd.example.com, without credentials (use --argocd-token).");

    public override string ToString() => $"ArgoCdSettings {{ Server = {Server}, Project = {Project} }}";
}
