using Octokit;

namespace Bun.Delivery.Integrations.GitHub;

/// <summary>What a GitHub deployment records: where, which commit, which version and digest, and whether it is prod.</summary>
public sealed record DeploymentRecordRequest(string Environment, string Commit, string Version, string Digest, bool Production, string Description);

/// <summary>The links a deployment status carries: the environment itself, and the log (the Actions run, when there is one).</summary>
public sealed record DeploymentLinks(string? EnvironmentUrl, string? LogUrl);

/// <summary>
/// GitHub deployments and their statuses, through Octokit: create one (never auto-merging, every check left to the
/// production gate), find the one GitHub Actions created for a job bound to an environment, move its status on, and
/// find and mark inactive the deployment an environment ran before.
/// </summary>
public sealed class DeploymentRecords(GitHubApi api)
{
    /// <summary>How many of an environment's newest deployments may be this run's: jobs of other runs start meanwhile.</summary>
    public const int RecentDeployments = 10;

    /// <summary>How far back the deployment an environment runs is looked for: failed ones in between are rare.</summary>
    public const int ActiveSearchDepth = 30;

    private const string Permission = "deployments: write";

    /// <summary>
    /// The deployment GitHub created for this Actions run's job in <paramref name="environment"/>: one of the newest
    /// <see cref="RecentDeployments"/> of that environment whose statuses link to run <paramref name="runId"/>; null when there is none.
    /// </summary>
    public async Task<long?> FindRunDeploymentAsync(string environment, string runId, CancellationToken cancellation)
    {
        var link = $"/actions/runs/{runId}/";
        foreach (var deployment in await ListAsync(environment, RecentDeployments, cancellation))
        {
            var statuses = await StatusesAsync(deployment.Id, cancellation);
            if (statuses.Any(status => $"{status.LogUrl}{status.TargetUrl}".Contains(link, StringComparison.Ordinal)))
                return deployment.Id;
        }

        return null;
    }

    public Task<long> CreateAsync(DeploymentRecordRequest request, CancellationToken cancellation) =>
        api.CallAsync($"creating a GitHub deployment of {request.Version} to {request.Environment}", Permission, async () =>
        {
            var created = await api.Client.Repository.Deployment.Create(api.Owner, api.Name, new NewDeployment(request.Commit)
            {
                Environment = request.Environment,
                AutoMerge = false,
                // The production gate checks what prod needs; GitHub must not refuse a dev deploy for a pending check.
                RequiredContexts = [],
                Payload = new Dictionary<string, string> { ["version"] = request.Version, ["digest"] = request.Digest },
                ProductionEnvironment = request.Production,
                TransientEnvironment = false,
                Description = request.Description,
            });
            return created.Id;
        }, cancellation);

    public Task SetStatusAsync(long deployment, DeploymentState state, string environment, DeploymentLinks links, string description, CancellationToken cancellation) =>
        api.CallAsync($"setting GitHub deployment {deployment} of {environment} to {state}", Permission, async () =>
            await api.Client.Repository.Deployment.Status.Create(api.Owner, api.Name, deployment, new NewDeploymentStatus(state)
            {
                Environment = environment,
                EnvironmentUrl = links.EnvironmentUrl,
                LogUrl = links.LogUrl,
                Description = Shorten(description),
                AutoInactive = true,
            }), cancellation);

    /// <summary>
    /// The newest deployment of <paramref name="environment"/> whose latest status is success, among its newest
    /// <see cref="ActiveSearchDepth"/>: the one it runs now, as GitHub shows it.
    /// </summary>
    public async Task<long?> ActiveAsync(string environment, CancellationToken cancellation)
    {
        foreach (var deployment in await ListAsync(environment, ActiveSearchDepth, cancellation))
        {
            var statuses = await StatusesAsync(deployment.Id, cancellation);
            if (statuses.FirstOrDefault()?.State.Value == DeploymentState.Success)
                return deployment.Id;
        }

        return null;
    }

    // The newest <paramref name="count"/>, newest first, as GitHub lists them; Octokit's typed list takes no environment filter.
    private Task<IReadOnlyList<Deployment>> ListAsync(string environment, int count, CancellationToken cancellation) =>
        api.CallAsync($"listing the GitHub deployments of {environment}", Permission, () =>
            api.Rest.GetAll<Deployment>(api.RepoPath("deployments"), new Dictionary<string, string> { ["environment"] = environment },
                new ApiOptions { PageSize = count, PageCount = 1 }),
            cancellation);

    // Newest first, as GitHub lists them.
    private Task<IReadOnlyList<DeploymentStatus>> StatusesAsync(long deployment, CancellationToken cancellation) =>
        api.CallAsync($"reading the statuses of GitHub deployment {deployment}", Permission, () =>
            api.Client.Repository.Deployment.Status.GetAll(api.Owner, api.Name, deployment, new ApiOptions { PageSize = 100 }), cancellation);

    // GitHub refuses a description over 140 characters.
    private static string Shorten(string description) => description.Length <= 140 ? description : description[..139] + "…";
}
