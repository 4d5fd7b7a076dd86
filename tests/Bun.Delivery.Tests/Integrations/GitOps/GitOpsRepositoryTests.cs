using Bun.Delivery.Integrations.GitOps;
using Bun.Pipeline.Failures;
using Bun.Pipeline.Parameters;

namespace Bun.Delivery.Tests.Integrations.GitOps;

public sealed class GitOpsRepositoryTests
{
    [Fact]
    public async Task An_empty_remote_is_seeded_from_deploy_in_one_init_commit()
    {
        using var sandbox = await GitOpsSandbox.CreateAsync();

        await using (await sandbox.OpenAsync())
        {
        }

        (await sandbox.RemoteGitAsync("ls-tree", "-r", "--name-only", "HEAD")).Split('\n').ShouldBe(
        [
            "apps/bun-api/base/deployment.yaml", "apps/bun-api/base/kustomization.yaml", "apps/bun-api/base/service.yaml",
            "apps/bun-api/components/canary/analysis-template.yaml", "apps/bun-api/components/canary/kustomization.yaml",
            "apps/bun-api/components/canary/kustomizeconfig.yaml", "apps/bun-api/components/canary/rollout.yaml",
            "apps/bun-api/overlays/dev/kustomization.yaml", "apps/bun-api/overlays/prod/kustomization.yaml",
            "apps/bun-api/overlays/stage/kustomization.yaml", "apps/bun-api/overlays/test/kustomization.yaml",
        ]);
        (await sandbox.RemoteGitAsync("log", "--format=%(trailers:key=Bun-Action,valueonly)")).ShouldBe("init");
    }

    [Fact]
    public async Task Without_a_remote_the_local_repository_under_nuke_temp_is_created_from_deploy()
    {
        using var sandbox = await GitOpsSandbox.CreateAsync();
        var settings = new GitOpsSettings(AbsolutePath.From(sandbox.App));

        await using (var gitops = await GitOpsRepository.OpenAsync(settings, sandbox.Output, CancellationToken.None))
            await gitops.PinAsync(GitOpsSandbox.Deployment("dev", 1), CancellationToken.None);

        var local = Path.Combine(sandbox.App, ".nuke", "temp", "gitops");
        (await GitOpsSandbox.RunGitAsync(local, "rev-parse", "--is-bare-repository")).ShouldBe("true");
        (await GitOpsSandbox.RunGitAsync(local, "log", "--format=%s")).ShouldBe("deploy bun-api 1.0.1 to dev\ninit bun-api from deploy/");
        sandbox.Text.ShouldContain("notice: No --gitops-repo given: created the local GitOps repository");
    }

    [Fact]
    public async Task A_deploy_is_one_commit_with_the_trailers_that_touches_only_its_overlay()
    {
        using var sandbox = await GitOpsSandbox.CreateAsync();
        await using var gitops = await sandbox.OpenAsync();
        var deployment = GitOpsSandbox.Deployment("stage", 1);

        var commit = await gitops.PinAsync(deployment, CancellationToken.None);

        (await sandbox.RemoteHeadAsync()).ShouldBe(commit.Sha);
        (await sandbox.RemoteGitAsync("show", "--format=", "--name-only", "HEAD")).ShouldBe("apps/bun-api/overlays/stage/kustomization.yaml");
        (await sandbox.RemoteGitAsync("log", "-1", "--format=%(trailers)")).ShouldBe(
            $"""
            Bun-Action: deploy
            Bun-Environment: stage
            Bun-App: bun-api
            Bun-Image: {deployment.Image.Reference}
            Bun-Version: 1.0.1
            Bun-Source-Commit: {deployment.SourceCommit}
            Bun-Source-Ref: main
            Bun-Deployed-By: Bun Tests
            """);
        KustomizationImages.PinnedDigest(await sandbox.RemoteOverlayAsync("stage"), "ghcr.io/bun/bun-api").ShouldBe(deployment.Image.Digest.Value);
    }

    [Fact]
    public async Task A_local_image_made_without_Argo_CD_is_marked_so_in_its_trailers_and_read_back()
    {
        using var sandbox = await GitOpsSandbox.CreateAsync();
        await using var gitops = await sandbox.OpenAsync();
        var deployment = GitOpsSandbox.Deployment("dev", 1) with { LocalImage = true, WithoutArgoCd = true };

        await gitops.PinAsync(deployment, CancellationToken.None);

        var trailers = await sandbox.RemoteGitAsync("log", "-1", "--format=%(trailers)");
        trailers.ShouldEndWith("Bun-Source-Ref: main\nBun-Image-Local: true\nBun-Argo-CD: none\nBun-Deployed-By: Bun Tests");
        var read = (await gitops.HistoryAsync("dev", CancellationToken.None)).Current!.Deployment;
        read.ShouldBe(deployment with { DeployedBy = GitOpsSandbox.Deployer });
    }

    [Fact]
    public async Task Without_a_GitHub_actor_the_deployment_names_the_git_user_of_the_checkout()
    {
        using var sandbox = await GitOpsSandbox.CreateAsync();
        await GitOpsSandbox.RunGitAsync(sandbox.App, "init", "--quiet");
        await GitOpsSandbox.RunGitAsync(sandbox.App, "config", "user.name", "Ada Lovelace");
        await using var gitops = await GitOpsRepository.OpenAsync(sandbox.Settings with { DeployedBy = null }, sandbox.Output, CancellationToken.None);

        await gitops.PinAsync(GitOpsSandbox.Deployment("dev", 1), CancellationToken.None);

        (await sandbox.RemoteGitAsync("log", "-1", "--format=%(trailers:key=Bun-Deployed-By,valueonly)")).ShouldBe("Ada Lovelace");
    }

    [Fact]
    public async Task The_history_lists_deployments_newest_first_with_their_verification()
    {
        using var sandbox = await GitOpsSandbox.CreateAsync();
        await using var gitops = await sandbox.OpenAsync();
        var first = await gitops.PinAsync(GitOpsSandbox.Deployment("test", 1), CancellationToken.None);
        await gitops.RecordVerificationAsync(GitOpsSandbox.Deployment("test", 1), first, healthy: true, "healthy", CancellationToken.None);
        var second = await gitops.PinAsync(GitOpsSandbox.Deployment("test", 2), CancellationToken.None);
        await gitops.RecordVerificationAsync(GitOpsSandbox.Deployment("test", 2), second, healthy: false, "Degraded", CancellationToken.None);
        await gitops.PinAsync(GitOpsSandbox.Deployment("dev", 3), CancellationToken.None);
        await gitops.PinAsync(GitOpsSandbox.Deployment("test", 1, DeploymentAction.Rollback), CancellationToken.None);

        var history = await gitops.HistoryAsync("test", CancellationToken.None);

        history.Entries.Cast<DeploymentRecord>().Select(entry => (entry.Deployment.Action, entry.Deployment.Version, entry.Verification)).ShouldBe(
        [
            (DeploymentAction.Rollback, "1.0.1", Verification.Unverified),
            (DeploymentAction.Deploy, "1.0.2", Verification.Failed),
            (DeploymentAction.Deploy, "1.0.1", Verification.Healthy),
        ]);
        history.Current!.Deployment.Image.ShouldBe(GitOpsSandbox.Image(1));
        history.Problem.ShouldBeNull();
    }

    [Fact]
    public async Task Redeploying_the_pinned_digest_is_an_empty_commit_that_still_counts()
    {
        using var sandbox = await GitOpsSandbox.CreateAsync();
        await using var gitops = await sandbox.OpenAsync();
        await gitops.PinAsync(GitOpsSandbox.Deployment("dev", 1), CancellationToken.None);

        await gitops.PinAsync(GitOpsSandbox.Deployment("dev", 1), CancellationToken.None);

        (await sandbox.RemoteGitAsync("show", "--format=", "--name-only", "HEAD")).ShouldBeEmpty();
        (await gitops.HistoryAsync("dev", CancellationToken.None)).Deployments.Count().ShouldBe(2);
    }

    [Fact]
    public async Task A_hand_edit_on_top_of_the_overlay_makes_what_runs_now_unknown()
    {
        using var sandbox = await GitOpsSandbox.CreateAsync();
        await using var gitops = await sandbox.OpenAsync();
        await gitops.PinAsync(GitOpsSandbox.Deployment("prod", 1), CancellationToken.None);
        await sandbox.CommitByHandAsync("apps/bun-api/overlays/prod/kustomization.yaml", text => text.Replace("count: 3", "count: 5"), "scale prod by hand");

        var history = await gitops.HistoryAsync("prod", CancellationToken.None);

        var edit = history.Entries[0].ShouldBeOfType<UntrackedChange>();
        edit.Subject.ShouldBe("scale prod by hand");
        edit.Problem.ShouldBe("it has no Bun trailers");
        var failure = Should.Throw<BuildFailure>(() => history.Current);
        failure.Message.ShouldContain($"Can't tell what prod runs now: the newest change to apps/bun-api/overlays/prod in the GitOps repository is commit {edit.Commit}");
        failure.Message.ShouldContain("Rollback --environment prod --to-version <version>");
    }

    [Fact]
    public async Task A_hand_edit_below_a_later_deployment_is_listed_but_does_not_hide_what_runs()
    {
        using var sandbox = await GitOpsSandbox.CreateAsync();
        await using var gitops = await sandbox.OpenAsync();
        await sandbox.CommitByHandAsync("apps/bun-api/overlays/stage/kustomization.yaml", text => text + "# note\n", "a note");
        await gitops.PinAsync(GitOpsSandbox.Deployment("stage", 2), CancellationToken.None);

        var history = await gitops.HistoryAsync("stage", CancellationToken.None);

        history.Entries.Select(entry => entry.GetType().Name).ShouldBe(["DeploymentRecord", "UntrackedChange"]);
        history.Current!.Deployment.Version.ShouldBe("1.0.2");
    }

    [Fact]
    public async Task An_unknown_environment_is_bad_input_naming_the_overlays()
    {
        using var sandbox = await GitOpsSandbox.CreateAsync();
        await using var gitops = await sandbox.OpenAsync();
        var head = await sandbox.RemoteHeadAsync();

        var failure = await Should.ThrowAsync<BuildFailure>(() => gitops.PinAsync(GitOpsSandbox.Deployment("qa", 1), CancellationToken.None));

        failure.ExitCode.ShouldBe(2);
        failure.Message.ShouldContain("has no overlay for environment 'qa' (apps/bun-api/overlays/qa/); it has dev, prod, stage, test");
        (await sandbox.RemoteHeadAsync()).ShouldBe(head);
    }

    [Fact]
    public async Task A_remote_that_refuses_the_push_is_reported_and_left_unchanged()
    {
        using var sandbox = await GitOpsSandbox.CreateAsync();
        await using var gitops = await sandbox.OpenAsync();
        var head = await sandbox.RemoteHeadAsync();
        var hook = Path.Combine(sandbox.Remote, "hooks", "pre-receive");
        await File.WriteAllTextAsync(hook, "#!/bin/sh\necho 'protected branch: pushes need a review' >&2\nexit 1\n");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(hook, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var failure = await Should.ThrowAsync<BuildFailure>(() => gitops.PinAsync(GitOpsSandbox.Deployment("dev", 1), CancellationToken.None));

        failure.ExitCode.ShouldBe(1);
        failure.Message.ShouldContain($"The GitOps repository {sandbox.Remote} refused the push");
        failure.Message.ShouldContain("protected branch: pushes need a review");
        (await sandbox.RemoteHeadAsync()).ShouldBe(head);
    }

    [Fact]
    public async Task An_unreachable_remote_fails_clearly_without_showing_the_token()
    {
        using var sandbox = await GitOpsSandbox.CreateAsync();
        const string token = "ghp_s3cretT0kenValue1234567890";
        var settings = sandbox.Settings with { Repository = "http://127.0.0.1:9/bun/gitops.git", Token = token };

        var failure = await Should.ThrowAsync<BuildFailure>(() => GitOpsRepository.OpenAsync(settings, sandbox.Output, CancellationToken.None));

        failure.Message.ShouldStartWith("Could not open the GitOps repository http://127.0.0.1:9/bun/gitops.git: ");
        failure.Message.ShouldContain("Check --gitops-repo (BUN_GITOPS_REPO)");
        failure.Message.ShouldNotContain(token);
        sandbox.Output.Secrets.Apply(token).ShouldBe("***");
    }

    [Fact]
    public async Task A_password_written_in_the_remote_url_is_masked_and_kept_off_the_command_line()
    {
        using var sandbox = await GitOpsSandbox.CreateAsync();
        var settings = sandbox.Settings with { Repository = "http://deployer:hunter2-but-longer@127.0.0.1:9/bun/gitops.git" };

        var failure = await Should.ThrowAsync<BuildFailure>(() => GitOpsRepository.OpenAsync(settings, sandbox.Output, CancellationToken.None));

        failure.Message.ShouldContain("http://127.0.0.1:9/bun/gitops.git");
        failure.Message.ShouldNotContain("hunter2");
        sandbox.Text.ShouldNotContain("hunter2");
    }

    [Fact]
    public async Task A_verification_is_an_empty_follow_up_commit_naming_the_deployment()
    {
        using var sandbox = await GitOpsSandbox.CreateAsync();
        await using var gitops = await sandbox.OpenAsync();
        var deployment = GitOpsSandbox.Deployment("stage", 1);
        var commit = await gitops.PinAsync(deployment, CancellationToken.None);

        await gitops.RecordVerificationAsync(deployment, commit, healthy: true, "bun-api-stage is Synced and Healthy", CancellationToken.None);

        (await sandbox.RemoteGitAsync("show", "--format=", "--name-only", "HEAD")).ShouldBeEmpty();
        (await sandbox.RemoteGitAsync("log", "-1", "--format=%s%n%(trailers)")).ShouldBe(
            $"""
            verify bun-api 1.0.1 in stage: healthy
            Bun-Action: verify
            Bun-Environment: stage
            Bun-App: bun-api
            Bun-Verifies: {commit.Sha}
            Bun-Verified: true
            """);
    }

    [Fact]
    public async Task A_later_commit_carries_a_deployment_only_while_the_overlay_is_unchanged()
    {
        using var sandbox = await GitOpsSandbox.CreateAsync();
        await using var gitops = await sandbox.OpenAsync();
        var stage = await gitops.PinAsync(GitOpsSandbox.Deployment("stage", 1), CancellationToken.None);
        var dev = await gitops.PinAsync(GitOpsSandbox.Deployment("dev", 2), CancellationToken.None);
        var stageAgain = await gitops.PinAsync(GitOpsSandbox.Deployment("stage", 3), CancellationToken.None);

        (await gitops.CarriesAsync("stage", stage, dev.Sha, CancellationToken.None)).ShouldBeTrue();
        (await gitops.CarriesAsync("stage", stage, stageAgain.Sha, CancellationToken.None)).ShouldBeFalse();
        (await gitops.CarriesAsync("stage", stage, "0000000000000000000000000000000000000000", CancellationToken.None)).ShouldBeFalse();
    }

    [Fact]
    public async Task A_rollback_commit_names_the_deployment_it_replaces_in_a_trailer()
    {
        using var sandbox = await GitOpsSandbox.CreateAsync();
        await using var gitops = await sandbox.OpenAsync();
        var replaced = await gitops.PinAsync(GitOpsSandbox.Deployment("stage", 2), CancellationToken.None);

        await gitops.PinAsync(GitOpsSandbox.Deployment("stage", 1, DeploymentAction.Rollback) with { Replaces = replaced }, CancellationToken.None);

        (await sandbox.RemoteGitAsync("log", "-1", "--format=%(trailers:key=Bun-Action,key=Bun-Replaces)")).ShouldBe(
            $"Bun-Action: rollback\nBun-Replaces: {replaced.Sha}");
        var history = await gitops.HistoryAsync("stage", CancellationToken.None);
        history.Current!.Deployment.Replaces.ShouldBe(replaced);
        history.Deployments.Last().RolledBackBy.ShouldBe(history.Current.Commit);
    }

    [Fact]
    public async Task A_compare_and_swap_pin_changes_nothing_once_another_writer_pinned_something_else()
    {
        using var sandbox = await GitOpsSandbox.CreateAsync();
        await using var gitops = await sandbox.OpenAsync();
        await gitops.PinAsync(GitOpsSandbox.Deployment("test", 2), CancellationToken.None);
        await using (var other = await sandbox.OpenAsync())
            await other.PinAsync(GitOpsSandbox.Deployment("test", 3), CancellationToken.None);
        var head = await sandbox.RemoteHeadAsync();

        var swapped = await gitops.PinInsteadOfAsync(GitOpsSandbox.Deployment("test", 1, DeploymentAction.Rollback), GitOpsSandbox.Image(2).Digest, CancellationToken.None);
        var kept = await gitops.PinInsteadOfAsync(GitOpsSandbox.Deployment("test", 1, DeploymentAction.Rollback), GitOpsSandbox.Image(3).Digest, CancellationToken.None);

        swapped.ShouldBeNull();
        kept.ShouldNotBeNull();
        (await sandbox.RemoteGitAsync("rev-parse", "HEAD~1")).ShouldBe(head);
        KustomizationImages.PinnedDigest(await sandbox.RemoteOverlayAsync("test"), "ghcr.io/bun/bun-api").ShouldBe(GitOpsSandbox.Image(1).Digest.Value);
    }
}
