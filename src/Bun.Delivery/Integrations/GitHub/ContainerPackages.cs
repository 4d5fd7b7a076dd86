using System.Net;
using Bun.Delivery.Model.Retries;
using Bun.Pipeline.Failures;
using Bun.Pipeline.Output;
using Octokit;
using Polly;

namespace Bun.Delivery.Integrations.GitHub;

/// <summary>Who owns a container package: the REST paths differ (<c>/orgs/{org}/…</c> or <c>/users/{user}/…</c>).</summary>
public enum PackageOwnerKind
{
    Organization,
    User,
}

/// <summary>A container package on GitHub, e.g. <c>bun-api</c> of the organization <c>bun</c> for <c>ghcr.io/bun/bun-api</c>.</summary>
public sealed record ContainerPackage(string Owner, string Name, PackageOwnerKind OwnerKind)
{
    /// <summary><c>orgs/{org}/packages/container/{name}/versions</c> (or <c>users/…</c>), the name escaped: a nested name's '/' is part of it.</summary>
    public string VersionsPath => $"{(OwnerKind == PackageOwnerKind.Organization ? "orgs" : "users")}/{Uri.EscapeDataString(Owner)}/packages/container/{Uri.EscapeDataString(Name)}/versions";

    public override string ToString() => $"{Owner}/{Name}";
}

/// <summary>One version of a container package: a manifest (its digest is the version's name) and the tags pointing to it.</summary>
public sealed record ContainerVersion(long Id, string Digest, IReadOnlyList<string> Tags);

/// <summary>
/// The part of GitHub's packages API that ghcr.io cleanup needs, through Octokit: list a container package's versions
/// with their tags (every page), delete a version by id. The owner is tried as an organization first, then as a user,
/// since <c>ghcr.io/&lt;owner&gt;</c> does not say which it is. Every call goes through <see cref="GitHubRetry"/>;
/// what still fails becomes a <see cref="BuildFailure"/> that says what was being done.
/// </summary>
public sealed class ContainerPackages
{
    public const int DefaultPageSize = 100;

    private readonly GitHubClient _client;
    private readonly ResiliencePipeline _retry;
    private readonly RetrySettings _settings;
    private readonly GitHubConnection _connection;

    public ContainerPackages(GitHubConnection connection, BuildOutput output, RetrySettings? retry = null)
    {
        output.RegisterSecret(connection.Token);
        _connection = connection;
        _settings = retry ?? RetrySettings.Default;
        _retry = GitHubRetry.Create(_settings, output);
        _client = GitHubApi.CreateClient(connection);
    }

    /// <summary>The package and its active versions, or null when GitHub knows no such package of that owner (or the token cannot see it).</summary>
    public async Task<(ContainerPackage Package, IReadOnlyList<ContainerVersion> Versions)?> ListVersionsAsync(
        string owner, string name, CancellationToken cancellation, int pageSize = DefaultPageSize)
    {
        foreach (var kind in new[] { PackageOwnerKind.Organization, PackageOwnerKind.User })
        {
            var package = new ContainerPackage(owner, name, kind);
            var versions = await CallAsync($"listing the versions of the container package {package}", async () =>
            {
                var options = new ApiOptions { PageSize = pageSize };
                try
                {
                    return await (kind == PackageOwnerKind.Organization
                        ? _client.Packages.PackageVersions.GetAllForOrg(owner, PackageType.Container, Uri.EscapeDataString(name), PackageVersionState.Active, options)
                        : _client.Packages.PackageVersions.GetAllForUser(owner, PackageType.Container, Uri.EscapeDataString(name), PackageVersionState.Active, options));
                }
                catch (NotFoundException)
                {
                    return null;
                }
            }, cancellation);
            if (versions is not null)
                return (package, versions.Select(version => new ContainerVersion(version.Id, version.Name, version.Metadata?.Container?.Tags ?? [])).ToList());
        }

        return null;
    }

    /// <summary>Deletes a version, and with it every tag on it; false when it was already gone.</summary>
    public Task<bool> DeleteAsync(ContainerPackage package, long id, CancellationToken cancellation) =>
        // Octokit's typed DeleteFor* take an int id; version ids are longs, so the call goes through its connection.
        CallAsync($"deleting version {id} of the container package {package}", async () =>
        {
            try
            {
                await _client.Connection.Delete(new Uri($"{package.VersionsPath}/{id}", UriKind.Relative));
                return true;
            }
            catch (NotFoundException)
            {
                return false;
            }
        }, cancellation);

    private async Task<T> CallAsync<T>(string what, Func<Task<T>> call, CancellationToken cancellation)
    {
        try
        {
            return await _retry.ExecuteAsync(async _ => await call(), cancellation);
        }
        catch (AuthorizationException refused)
        {
            throw new BuildFailure(
                $"{what}: GitHub ({_connection.ApiUrl}) refused the token ({(int)refused.StatusCode}: {refused.Message}). " +
                "Pass a GitHub token that may read and delete packages (read:packages and delete:packages, or GITHUB_TOKEN with packages: write) " +
                "as --registry-password (BUN_REGISTRY_PASSWORD).");
        }
        catch (RateLimitExceededException limited)
        {
            throw new BuildFailure(
                $"{what}: GitHub's rate limit is used up until {limited.Reset:u}. Run again after that: cleanup is safe to repeat.");
        }
        catch (ForbiddenException forbidden)
        {
            throw new BuildFailure(
                $"{what}: GitHub ({_connection.ApiUrl}) answered 403 ({forbidden.Message}): the token may not do this. " +
                "Give it delete:packages (or GITHUB_TOKEN packages: write, with admin access to the package), then run again: cleanup is safe to repeat.");
        }
        catch (ApiException failure)
        {
            throw new BuildFailure($"{what}: GitHub ({_connection.ApiUrl}) answered {(int)failure.StatusCode} ({failure.Message}).");
        }
        catch (Exception unreachable) when (unreachable is HttpRequestException or TaskCanceledException && !cancellation.IsCancellationRequested)
        {
            throw new BuildFailure(
                $"{what}: GitHub ({_connection.ApiUrl}) did not answer ({unreachable.Message}), still after {_settings.MaxRetries + 1} attempts. " +
                "Check the address (--github-api-url) and the network, then run again: cleanup is safe to repeat.");
        }
    }
}
