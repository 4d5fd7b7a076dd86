using Bun.Delivery.Integrations.GitOps;

namespace Bun.Delivery.Tests.Integrations.GitOps;

/// <summary>Writers racing for one GitOps branch, each with its own clone, as parallel CI jobs are.</summary>
public sealed class ConcurrentWriterTests
{
    [Fact]
    public async Task Ten_deploys_at_once_to_different_environments_all_land()
    {
        var environments = Enumerable.Range(0, 10).Select(index => $"env-{index}").ToArray();
        using var sandbox = await GitOpsSandbox.CreateAsync(environments);
        await using (await sandbox.OpenAsync())
        {
        }

        await Task.WhenAll(environments.Select((environment, index) => DeployAsync(sandbox, GitOpsSandbox.Deployment(environment, index))));

        await using var reader = await sandbox.OpenAsync();
        for (var index = 0; index < environments.Length; index++)
        {
            var history = await reader.HistoryAsync(environments[index], CancellationToken.None);
            history.Deployments.Select(record => record.Deployment).ShouldBe([GitOpsSandbox.Deployment(environments[index], index)]);
            KustomizationImages.PinnedDigest(await sandbox.RemoteOverlayAsync(environments[index]), "ghcr.io/bun/bun-api")
                .ShouldBe(GitOpsSandbox.Image(index).Digest.Value);
        }

        await ShouldBeLinearAsync(sandbox, commits: 1 + environments.Length);
    }

    [Fact]
    public async Task Five_deploys_at_once_to_one_environment_all_land_in_its_history()
    {
        using var sandbox = await GitOpsSandbox.CreateAsync();
        await using (await sandbox.OpenAsync())
        {
        }

        await Task.WhenAll(Enumerable.Range(1, 5).Select(number => DeployAsync(sandbox, GitOpsSandbox.Deployment("stage", number))));

        await using var reader = await sandbox.OpenAsync();
        var history = await reader.HistoryAsync("stage", CancellationToken.None);
        history.Deployments.Select(record => record.Deployment.Version).Order().ShouldBe(["1.0.1", "1.0.2", "1.0.3", "1.0.4", "1.0.5"]);
        // No lost update: the overlay pins what the newest commit says it pins.
        KustomizationImages.PinnedDigest(await sandbox.RemoteOverlayAsync("stage"), "ghcr.io/bun/bun-api")
            .ShouldBe(history.Current!.Deployment.Image.Digest.Value);
        await ShouldBeLinearAsync(sandbox, commits: 6);
    }

    private static async Task DeployAsync(GitOpsSandbox sandbox, Deployment deployment)
    {
        await using var gitops = await sandbox.OpenAsync();
        await gitops.PinAsync(deployment, CancellationToken.None);
    }

    // Every commit is on the branch, each on top of the one before: nothing was overwritten or force-pushed.
    private static async Task ShouldBeLinearAsync(GitOpsSandbox sandbox, int commits)
    {
        (await sandbox.RemoteGitAsync("rev-list", "--count", "HEAD")).ShouldBe(commits.ToString());
        (await sandbox.RemoteGitAsync("rev-list", "--count", "--merges", "HEAD")).ShouldBe("0");
    }
}
