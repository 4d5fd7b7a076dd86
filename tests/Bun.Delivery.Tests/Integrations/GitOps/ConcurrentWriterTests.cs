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
            history.Deployments.Select(record => record.Deployment).ShouldBe([GitOpsSandbox.Deployment(environments[index], index) with { DeployedBy = GitOpsSandbox.Deployer }]);
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

    [Fact]
    public async Task A_push_rejected_because_another_writer_moved_the_branch_is_fetched_reapplied_and_pushed_again()
    {
        using var sandbox = await GitOpsSandbox.CreateAsync();
        await using var gitops = await sandbox.OpenAsync();
        var before = await sandbox.RemoteHeadAsync();
        await LoseTheFirstRaceAsync(sandbox);

        var commit = await gitops.PinAsync(GitOpsSandbox.Deployment("stage", 1), CancellationToken.None);

        var winner = await sandbox.RemoteGitAsync("rev-parse", "HEAD~1");
        (await sandbox.RemoteHeadAsync()).ShouldBe(commit.Sha);
        (await sandbox.RemoteGitAsync("log", "-1", "--format=%s", winner)).ShouldBe("another writer");
        (await sandbox.RemoteGitAsync("rev-parse", $"{winner}~1")).ShouldBe(before);
        KustomizationImages.PinnedDigest(await sandbox.RemoteOverlayAsync("stage"), "ghcr.io/bun/bun-api").ShouldBe(GitOpsSandbox.Image(1).Digest.Value);
        sandbox.Text.ShouldContain("GitOps: the push was rejected (");
        sandbox.Text.ShouldContain("another writer got there first; fetching, re-applying and pushing again (attempt 2 of 40).");
        await ShouldBeLinearAsync(sandbox, commits: 3);
    }

    [Fact]
    public async Task Without_retries_left_a_rejected_push_fails_clearly_and_pushes_nothing_of_its_own()
    {
        using var sandbox = await GitOpsSandbox.CreateAsync();
        await using var gitops = await GitOpsRepository.OpenAsync(sandbox.Settings with { PushAttempts = 1 }, sandbox.Output, CancellationToken.None);
        await LoseTheFirstRaceAsync(sandbox);

        var failure = await Should.ThrowAsync<Bun.Pipeline.Failures.BuildFailure>(() => gitops.PinAsync(GitOpsSandbox.Deployment("stage", 1), CancellationToken.None));

        failure.Message.ShouldStartWith($"Could not push to the GitOps repository {sandbox.Remote}: the push was rejected 1 times");
        failure.Message.ShouldContain("Nothing of this run was pushed; run it again.");
        (await sandbox.RemoteGitAsync("log", "-1", "--format=%s")).ShouldBe("another writer");
    }

    // A pre-receive hook that, on the first push only, lets another writer move main first: the push then loses the race
    // at the ref update ("failed to update ref"), exactly as when two writers push at once.
    private static async Task LoseTheFirstRaceAsync(GitOpsSandbox sandbox)
    {
        var hook = Path.Combine(sandbox.Remote, "hooks", "pre-receive");
        var marker = Path.Combine(sandbox.Root, "raced");
        await File.WriteAllTextAsync(hook, $$"""
            #!/bin/sh
            cat >/dev/null
            [ -e '{{marker}}' ] && exit 0
            touch '{{marker}}'
            unset GIT_QUARANTINE_PATH GIT_OBJECT_DIRECTORY GIT_ALTERNATE_OBJECT_DIRECTORIES
            old=$(git rev-parse refs/heads/main)
            new=$(git -c user.name=Other -c user.email=other@example.com commit-tree "$old^{tree}" -p "$old" -m "another writer")
            git update-ref refs/heads/main "$new" "$old"
            """);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(hook, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
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
