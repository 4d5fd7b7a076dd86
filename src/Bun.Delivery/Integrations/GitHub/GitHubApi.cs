using Bun.Delivery.Model.Retries;
using Bun.Pipeline.Failures;
using Bun.Pipeline.Output;
using Octokit;
using Octokit.Internal;
using Polly;

namespace Bun.Delivery.Integrations.GitHub;

/// <summary>
/// One Octokit client for one repository: the token (masked in all output), the API root, the pinned API version,
/// the retry policies of <see cref="GitHubRetry"/>, and every failure turned into a <see cref="BuildFailure"/> that says
/// what was being done and what to configure. Endpoints Octokit 14 lacks (environments, deployment branch policies,
/// rulesets) go through the same client's <see cref="Connection"/>, so they share its credentials and pagination.
/// </summary>
public sealed class GitHubApi
{
    private readonly ResiliencePipeline _retry;

    public GitHubApi(GitHubConnection connection, GitHubRepository repository, BuildOutput output, RetrySettings? retry = null, TimeProvider? clock = null)
    {
        output.RegisterSecret(connection.Token);
        Connection = connection;
        Repository = repository;
        Output = output;
        _retry = GitHubRetry.Create(retry ?? RetrySettings.Default, output, clock);
        Client = CreateClient(connection);
        Rest = new ApiConnection(Client.Connection);
    }

    public GitHubConnection Connection { get; }
    public GitHubRepository Repository { get; }
    public BuildOutput Output { get; }
    public GitHubClient Client { get; }

    /// <summary>The client's own connection with Octokit's pagination, for the endpoints it has no typed method for.</summary>
    public IApiConnection Rest { get; }

    public string Owner => Repository.Owner;
    public string Name => Repository.Name;

    /// <summary>Octokit on <paramref name="connection"/>, sending the pinned API version, with a 30 s timeout per request.</summary>
    public static GitHubClient CreateClient(GitHubConnection connection)
    {
        var http = new HttpClientAdapter(() => new GitHubApiVersion(HttpMessageHandlerFactory.CreateDefault()));
        var client = new GitHubClient(new Octokit.Connection(new ProductHeaderValue("bun-build"), connection.ApiUrl,
            new InMemoryCredentialStore(new Credentials(connection.Token)), http, new SimpleJsonSerializer()));
        client.SetRequestTimeout(TimeSpan.FromSeconds(30));
        return client;
    }

    /// <summary>A repository path relative to the API root: <c>repos/{owner}/{repo}/{rest}</c>.</summary>
    public Uri RepoPath(string rest) => new($"repos/{Uri.EscapeDataString(Owner)}/{Uri.EscapeDataString(Name)}/{rest}", UriKind.Relative);

    /// <summary>
    /// Runs one call with the retry policies; <paramref name="permission"/> names what the token needs for it
    /// (e.g. <c>deployments: write</c>), for the message when GitHub refuses.
    /// </summary>
    public async Task<T> CallAsync<T>(string what, string permission, Func<Task<T>> call, CancellationToken cancellation)
    {
        try
        {
            return await _retry.ExecuteAsync(async _ => await call(), cancellation);
        }
        catch (AuthorizationException refused)
        {
            throw new BuildFailure(
                $"{what}: GitHub ({Connection.ApiUrl}) refused the token ({(int)refused.StatusCode}: {refused.Message}). " +
                $"Pass a valid token with {permission} on {Repository} as --github-token (GITHUB_TOKEN).");
        }
        catch (ApiException limited) when (GitHubRetry.RateLimitWait(limited, TimeProvider.System) is { } wait)
        {
            throw new BuildFailure(
                $"{what}: GitHub's rate limit for this token is used up for another {wait.TotalMinutes:0} min ({limited.Message}). Run again after that: it is safe to repeat.");
        }
        catch (ForbiddenException forbidden)
        {
            throw new BuildFailure(
                $"{what}: GitHub ({Connection.ApiUrl}) answered 403 ({forbidden.Message}): the token may not do this. " +
                $"Give it {permission} on {Repository} (a workflow's GITHUB_TOKEN: permissions: {permission}), then run again.");
        }
        catch (ApiValidationException invalid)
        {
            var details = string.Join("; ", invalid.ApiError?.Errors?.Select(error => $"{error.Resource}.{error.Field} {error.Code} {error.Message}".Trim()) ?? []);
            throw new BuildFailure($"{what}: GitHub ({Connection.ApiUrl}) refused the request as invalid (422: {invalid.Message}{(details.Length > 0 ? $": {details}" : "")}).");
        }
        catch (ApiException failure)
        {
            throw new BuildFailure($"{what}: GitHub ({Connection.ApiUrl}) answered {(int)failure.StatusCode} ({failure.Message}).");
        }
        catch (Exception unreachable) when (unreachable is HttpRequestException or TaskCanceledException && !cancellation.IsCancellationRequested)
        {
            throw new BuildFailure(
                $"{what}: GitHub ({Connection.ApiUrl}) did not answer ({unreachable.Message}). Check the address (--github-api-url, GITHUB_API_URL) and the network, then run again.");
        }
    }

    /// <summary>Like <see cref="CallAsync{T}"/>, but a 404 is null: the thing does not exist (or the token cannot see it).</summary>
    public Task<T?> FindAsync<T>(string what, string permission, Func<Task<T>> call, CancellationToken cancellation) where T : class =>
        CallAsync<T?>(what, permission, async () =>
        {
            try
            {
                return await call();
            }
            catch (NotFoundException)
            {
                return null;
            }
        }, cancellation);
}
