using Bun.Delivery.Integrations.GitHub;
using Bun.Delivery.Model.Retries;
using Bun.Pipeline;
using Bun.Pipeline.Failures;
using Bun.Pipeline.Output;
using Bun.Pipeline.Parameters;
using Bun.Pipeline.Processes;

namespace Bun.Delivery.Orchestration.GitHub;

/// <summary>
/// How the build reaches GitHub: the token (<c>--github-token</c>, or <c>GITHUB_TOKEN</c>), the API root
/// (<c>--github-api-url</c>, or <c>GITHUB_API_URL</c>), and the repository (<c>--github-repository</c>, or
/// <c>GITHUB_REPOSITORY</c> in Actions; on a laptop the <c>origin</c> remote). Also the link to this Actions run, which
/// deployment statuses carry as their log.
/// </summary>
public sealed record GitHubAccess(string? Token, string? ApiUrl, string? Repository, BuildEnvironment Host, ProcessRunner Processes, AbsolutePath Root)
{
    public RetrySettings Retry { get; init; } = RetrySettings.Default;

    public bool InGitHubActions => Host.IsGitHubActions;

    public string? RunId => Variable("GITHUB_RUN_ID");

    /// <summary><c>https://github.com/owner/name/actions/runs/123</c> in GitHub Actions; null elsewhere.</summary>
    public string? RunUrl => InGitHubActions && RunId is { } run && Variable("GITHUB_REPOSITORY") is { } repository
        ? $"{(Variable("GITHUB_SERVER_URL") ?? "https://github.com").TrimEnd('/')}/{repository}/actions/runs/{run}"
        : null;

    /// <summary>The API with a token, or a bad-input failure that says what <paramref name="purpose"/> needs and how to give it.</summary>
    public async Task<GitHubApi> OpenAsync(string purpose, string permissions, BuildOutput output, CancellationToken cancellation)
    {
        var connection = GitHubConnection.From(ApiUrl, Token,
            $"{purpose} needs a GitHub token with {permissions}: pass --github-token (BUN_GITHUB_TOKEN), or GITHUB_TOKEN, which GitHub Actions provides.");
        return new GitHubApi(connection, await RepositoryAsync(cancellation), output, Retry);
    }

    /// <summary>
    /// For what is recorded on the side (deployment records): without a token, null and a notice on a laptop, but an
    /// error in GitHub Actions, where the token is always at hand and a missing one is a workflow mistake.
    /// </summary>
    public async Task<GitHubApi?> OpenOptionalAsync(string purpose, string permissions, BuildOutput output, CancellationToken cancellation)
    {
        if (string.IsNullOrEmpty(Token) && !InGitHubActions)
        {
            output.Notice($"No GitHub token (--github-token or GITHUB_TOKEN): {purpose} is skipped.");
            return null;
        }

        return await OpenAsync(purpose, permissions, output, cancellation);
    }

    public async Task<GitHubRepository> RepositoryAsync(CancellationToken cancellation)
    {
        if (!string.IsNullOrWhiteSpace(Repository))
            return GitHubRepository.Parse(Repository.Trim(), "--github-repository (GITHUB_REPOSITORY)");
        string remote;
        try
        {
            remote = (await Processes.RunAsync("git", ["remote", "get-url", "origin"], cancellation, Root, echo: false)).Text.Trim();
        }
        catch (ProcessFailedException)
        {
            throw BuildFailure.BadInput(
                $"The GitHub repository is not known: {Root} has no 'origin' remote. Pass --github-repository owner/name (GITHUB_REPOSITORY).");
        }

        return GitHubRepository.FromRemoteUrl(remote)
               ?? throw BuildFailure.BadInput(
                   // The remote's address may carry a token: it is not repeated.
                   $"The 'origin' remote of {Root} does not name a GitHub repository as owner/name. Pass --github-repository owner/name (GITHUB_REPOSITORY).");
    }

    private string? Variable(string name) => Host.Variables.GetValueOrDefault(name) is { Length: > 0 } value ? value : null;
}
