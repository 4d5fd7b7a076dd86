using Bun.Delivery.Integrations.Argo;
using Bun.Delivery.Integrations.GitOps;
using Bun.Delivery.Tests.Integrations.Argo.Simulator;
using Bun.Delivery.Tests.Integrations.GitOps;

namespace Bun.Delivery.Tests.Integrations.Argo;

/// <summary>The thin edge and the generated client, against the simulator over loopback.</summary>
public sealed class ArgoCdClientTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_username_and_password_are_exchanged_for_a_session_token_that_is_masked()
    {
        await using var sandbox = await ArgoSandbox.CreateAsync();
        var settings = sandbox.Settings with { Token = null, Username = sandbox.Simulator.Username, Password = sandbox.Simulator.Password };

        using var argo = await sandbox.ConnectAsync(settings);
        var application = await argo.GetAsync("bun-api-dev", None);

        application.Name.ShouldBe("bun-api-dev");
        var requests = sandbox.Simulator.Requests;
        requests[0].ShouldBe(requests[0] with { Method = "POST", Path = "/api/v1/session", Authorization = null });
        var token = requests[1].Authorization!["Bearer ".Length..];
        sandbox.GitOps.Output.Secrets.Apply($"{token} {sandbox.Simulator.Password}").ShouldBe("*** ***");
    }

    [Fact]
    public async Task A_wrong_password_is_an_authentication_error_that_does_not_show_it()
    {
        await using var sandbox = await ArgoSandbox.CreateAsync();
        var settings = sandbox.Settings with { Token = null, Username = "admin", Password = "not-the-password" };

        var failure = await Should.ThrowAsync<ArgoCdAuthenticationException>(() => sandbox.ConnectAsync(settings));

        failure.HttpStatus.ShouldBe(401);
        failure.GrpcCode.ShouldBe(16);
        failure.Message.ShouldContain("refused the credentials");
        failure.Message.ShouldContain("Invalid username or password");
        failure.Message.ShouldNotContain("not-the-password");
    }

    [Fact]
    public async Task A_rejected_token_is_an_authentication_error()
    {
        await using var sandbox = await ArgoSandbox.CreateAsync();
        using var argo = await sandbox.ConnectAsync(sandbox.Settings with { Token = "eyJ.forged.token" });

        var failure = await Should.ThrowAsync<ArgoCdAuthenticationException>(() => argo.GetAsync("bun-api-dev", None));

        failure.Message.ShouldContain("invalid session: token signature is invalid");
    }

    [Fact]
    public async Task An_application_that_does_not_exist_answers_permission_denied_and_the_error_lists_the_visible_ones()
    {
        await using var sandbox = await ArgoSandbox.CreateAsync();
        using var argo = await sandbox.ConnectAsync();

        var failure = await Should.ThrowAsync<ArgoCdApplicationNotFoundException>(() => argo.GetAsync("bun-api-qa", None));

        failure.HttpStatus.ShouldBe(403);
        failure.GrpcCode.ShouldBe(7);
        failure.Message.ShouldContain("Argo CD has no application bun-api-qa, or this account may not see or change it");
        failure.Message.ShouldContain("Applications this account sees: bun-api-dev, bun-api-prod, bun-api-stage, bun-api-test.");
    }

    [Fact]
    public async Task With_a_project_a_missing_application_answers_not_found()
    {
        await using var sandbox = await ArgoSandbox.CreateAsync();
        using var argo = await sandbox.ConnectAsync(sandbox.Settings with { Project = "default" });

        var failure = await Should.ThrowAsync<ArgoCdApplicationNotFoundException>(() => argo.GetAsync("bun-api-qa", None));

        failure.HttpStatus.ShouldBe(404);
        failure.GrpcCode.ShouldBe(5);
    }

    [Fact]
    public async Task A_manual_application_is_synced_to_the_commit_and_verified_after_the_settle_window()
    {
        await using var sandbox = await ArgoSandbox.CreateAsync();
        var commit = await sandbox.PushAsync("stage", 1);
        using var argo = await sandbox.ConnectAsync();

        await argo.SyncAsync("bun-api-stage", commit, None);
        var verdict = await argo.WaitHealthyAsync("bun-api-stage", commit, ArgoSandbox.Settle, ArgoSandbox.Timeout, None);

        verdict.Healthy.ShouldBeTrue(verdict.Describe());
        verdict.LastSeen!.IsSynced.ShouldBeTrue();
        verdict.LastSeen.History.Select(entry => entry.Revision).ShouldBe([commit]);
        sandbox.Simulator.With("bun-api-stage", application => application.LiveDigest).ShouldBe(GitOpsSandbox.Image(1).Digest.Value);
    }

    [Fact]
    public async Task An_auto_sync_application_is_refreshed_rather_than_synced()
    {
        await using var sandbox = await ArgoSandbox.CreateAsync("test");
        var commit = await sandbox.PushAsync("test", 1);
        using var argo = await sandbox.ConnectAsync();

        await argo.SyncAsync("bun-api-test", commit, None);
        var verdict = await argo.WaitHealthyAsync("bun-api-test", commit, ArgoSandbox.Settle, ArgoSandbox.Timeout, None);

        verdict.Healthy.ShouldBeTrue(verdict.Describe());
        sandbox.Simulator.Requests.ShouldNotContain(request => request.Path.EndsWith("/sync"));
        sandbox.Simulator.Requests.ShouldContain(request => request.Path == "/api/v1/applications/bun-api-test" && request.Method == "GET");
    }

    [Fact]
    public async Task Auto_sync_to_a_later_commit_counts_when_that_commit_carries_the_deployment_unchanged()
    {
        await using var sandbox = await ArgoSandbox.CreateAsync("dev");
        var dev = await sandbox.PushAsync("dev", 1);
        var stage = await sandbox.PushAsync("stage", 2);
        await using var gitops = await sandbox.GitOps.OpenAsync();
        using var argo = await sandbox.ConnectAsync();

        await argo.SyncAsync("bun-api-dev", dev, None);
        var strict = await argo.WaitHealthyAsync("bun-api-dev", dev, ArgoSandbox.Settle, TimeSpan.FromMilliseconds(300), None);
        var carried = await argo.WaitHealthyAsync("bun-api-dev", dev, ArgoSandbox.Settle, ArgoSandbox.Timeout, None,
            (revision, token) => gitops.CarriesAsync("dev", new GitOpsCommit(dev), revision, token));

        strict.Healthy.ShouldBeFalse();
        strict.Summary.ShouldContain($"waiting for an operation that deploys {dev[..7]} (last: Succeeded for {stage[..7]}");
        carried.Healthy.ShouldBeTrue(carried.Describe());
    }

    [Fact]
    public async Task Syncing_another_revision_than_the_target_with_auto_sync_on_is_refused()
    {
        await using var sandbox = await ArgoSandbox.CreateAsync("test");
        var commit = await sandbox.PushAsync("test", 1);
        using var http = new HttpClient { BaseAddress = sandbox.Simulator.Url };
        http.DefaultRequestHeaders.Authorization = new("Bearer", sandbox.Simulator.AccountToken);
        var client = new Delivery.Integrations.Argo.Generated.ApplicationClient(http);

        var failure = await Should.ThrowAsync<Delivery.Integrations.Argo.Generated.ArgoCdApiException<Delivery.Integrations.Argo.Generated.RuntimeError>>(
            () => client.SyncAsync("bun-api-test", new() { Name = "bun-api-test", Revision = commit }, None));

        failure.StatusCode.ShouldBe(400);
        failure.Result.Code.ShouldBe(9);
        failure.Result.Message.ShouldBe("Cannot sync to " + commit + ": auto-sync currently set to HEAD");
    }

    [Fact]
    public async Task A_sync_while_another_operation_runs_is_refused_as_in_progress()
    {
        await using var sandbox = await ArgoSandbox.CreateAsync();
        var commit = await sandbox.PushAsync("stage", 1);
        sandbox.Simulator.Configure("bun-api-stage", application => application.OperationReads = 1_000);
        using var argo = await sandbox.ConnectAsync();
        await argo.SyncAsync("bun-api-stage", commit, None);

        var failure = await Should.ThrowAsync<ArgoCdOperationInProgressException>(() => argo.SyncAsync("bun-api-stage", commit, None));

        failure.HttpStatus.ShouldBe(400);
        failure.GrpcCode.ShouldBe(9);
        failure.Message.ShouldContain("another operation is already in progress");
    }

    [Fact]
    public async Task A_stopped_operation_ends_failed()
    {
        await using var sandbox = await ArgoSandbox.CreateAsync();
        var commit = await sandbox.PushAsync("stage", 1);
        sandbox.Simulator.Configure("bun-api-stage", application => application.OperationReads = 1_000);
        using var argo = await sandbox.ConnectAsync();
        await argo.SyncAsync("bun-api-stage", commit, None);

        await argo.TerminateOperationAsync("bun-api-stage", None);
        var verdict = await argo.WaitHealthyAsync("bun-api-stage", commit, ArgoSandbox.Settle, ArgoSandbox.Timeout, None);

        verdict.Healthy.ShouldBeFalse();
        verdict.Summary.ShouldContain("the operation ended Failed");
        verdict.Summary.ShouldContain("Operation terminated");
        await Should.ThrowAsync<ArgoCdException>(() => argo.TerminateOperationAsync("bun-api-stage", None));
    }

    [Fact]
    public async Task A_sync_window_blocks_the_sync_with_its_own_error()
    {
        await using var sandbox = await ArgoSandbox.CreateAsync();
        var commit = await sandbox.PushAsync("prod", 1);
        sandbox.Simulator.Configure("bun-api-prod", application => application.SyncWindowOpen = false);
        using var argo = await sandbox.ConnectAsync();

        var failure = await Should.ThrowAsync<ArgoCdSyncWindowException>(() => argo.SyncAsync("bun-api-prod", commit, None));

        failure.Message.ShouldContain("a sync window forbids it now (deny 0 22 * * * for 8h)");
        sandbox.Simulator.Requests.ShouldNotContain(request => request.Path.EndsWith("/sync"));
    }

    [Fact]
    public async Task Health_that_flickers_after_the_sync_is_waited_out()
    {
        await using var sandbox = await ArgoSandbox.CreateAsync();
        var commit = await sandbox.PushAsync("stage", 1);
        sandbox.Simulator.Configure("bun-api-stage", application => application.DefaultRollout = Rollout.Flicker);
        using var argo = await sandbox.ConnectAsync();

        await argo.SyncAsync("bun-api-stage", commit, None);
        var verdict = await argo.WaitHealthyAsync("bun-api-stage", commit, ArgoSandbox.Settle, ArgoSandbox.Timeout, None);

        verdict.Healthy.ShouldBeTrue(verdict.Describe());
        sandbox.GitOps.Text.ShouldContain("bun-api-stage: Synced and Healthy, settling\nArgo CD: bun-api-stage: health Progressing");
    }

    [Fact]
    public async Task A_moment_of_health_before_degrading_is_not_a_verified_deployment()
    {
        await using var sandbox = await ArgoSandbox.CreateAsync();
        var commit = await sandbox.PushAsync("stage", 1);
        sandbox.Simulator.Configure("bun-api-stage", application => application.DefaultRollout = Rollout.FlickerThenDegraded);
        using var argo = await sandbox.ConnectAsync();

        await argo.SyncAsync("bun-api-stage", commit, None);
        var verdict = await argo.WaitHealthyAsync("bun-api-stage", commit, ArgoSandbox.Settle, ArgoSandbox.Timeout, None);

        verdict.Healthy.ShouldBeFalse();
        verdict.Summary.ShouldContain("health Degraded (Back-off restarting failed container bun-api)");
    }

    [Fact]
    public async Task A_degraded_rollout_fails_with_the_last_state_and_the_unhealthy_resources()
    {
        await using var sandbox = await ArgoSandbox.CreateAsync();
        var commit = await sandbox.PushAsync("stage", 1);
        sandbox.Simulator.Configure("bun-api-stage", application => application.Behave(GitOpsSandbox.Image(1).Digest.Value, Rollout.Degraded));
        using var argo = await sandbox.ConnectAsync();

        await argo.SyncAsync("bun-api-stage", commit, None);
        var verdict = await argo.WaitHealthyAsync("bun-api-stage", commit, ArgoSandbox.Settle, ArgoSandbox.Timeout, None);

        verdict.Healthy.ShouldBeFalse();
        verdict.LastSeen!.Health.ShouldBe("Degraded");
        verdict.Resources.ShouldContain(new ResourceOutcome("Deployment", "bun-stage", "bun-api", null, "Degraded", "Deployment \"bun-api\" exceeded its progress deadline"));
        verdict.Describe().ShouldContain("\nResources:\n  Deployment bun-stage/bun-api: health Degraded — Deployment \"bun-api\" exceeded its progress deadline");
    }

    [Fact]
    public async Task A_failed_sync_operation_reports_the_per_resource_results()
    {
        await using var sandbox = await ArgoSandbox.CreateAsync();
        var commit = await sandbox.PushAsync("stage", 1);
        sandbox.Simulator.Configure("bun-api-stage", application => application.DefaultRollout = Rollout.SyncFails("admission webhook denied the request: image is not signed"));
        using var argo = await sandbox.ConnectAsync();

        await argo.SyncAsync("bun-api-stage", commit, None);
        var verdict = await argo.WaitHealthyAsync("bun-api-stage", commit, ArgoSandbox.Settle, ArgoSandbox.Timeout, None);

        verdict.Healthy.ShouldBeFalse();
        verdict.Summary.ShouldContain("the operation ended Failed");
        verdict.Resources.ShouldContain(resource => resource.Kind == "Deployment" && resource.SyncStatus == "SyncFailed"
                                                    && resource.Message == "admission webhook denied the request: image is not signed");
        verdict.LastSeen!.History.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_rollout_that_hangs_times_out_with_the_last_state_seen()
    {
        await using var sandbox = await ArgoSandbox.CreateAsync();
        var commit = await sandbox.PushAsync("stage", 1);
        sandbox.Simulator.Configure("bun-api-stage", application => application.DefaultRollout = Rollout.Hangs);
        using var argo = await sandbox.ConnectAsync();

        await argo.SyncAsync("bun-api-stage", commit, None);
        var verdict = await argo.WaitHealthyAsync("bun-api-stage", commit, ArgoSandbox.Settle, TimeSpan.FromMilliseconds(400), None);

        verdict.Healthy.ShouldBeFalse();
        verdict.Summary.ShouldContain($"bun-api-stage was not Synced and Healthy at {commit[..7]} for 0.06 s within 0.4 s (health Progressing)");
        verdict.Describe().ShouldContain("Last state seen: sync Synced at");
        verdict.Resources.ShouldContain(resource => resource.Kind == "Pod" && resource.Health == "Progressing");
    }

    [Fact]
    public async Task History_grows_only_with_successful_syncs_and_is_cut_to_the_limit()
    {
        await using var sandbox = await ArgoSandbox.CreateAsync();
        sandbox.Simulator.AddApplication("bun-api-short", sandbox.GitOps.Remote, "apps/bun-api/overlays/dev", historyLimit: 3);
        using var argo = await sandbox.ConnectAsync();

        for (var number = 1; number <= 5; number++)
        {
            var commit = await sandbox.PushAsync("dev", number);
            await argo.SyncAsync("bun-api-short", commit, None);
            (await argo.WaitHealthyAsync("bun-api-short", commit, TimeSpan.Zero, ArgoSandbox.Timeout, None)).Healthy.ShouldBeTrue();
        }

        sandbox.Simulator.With("bun-api-short", application => application.HistoryIds).ShouldBe([2L, 3L, 4L]);
    }

    [Fact]
    public async Task Rollback_is_refused_while_auto_sync_is_on()
    {
        await using var sandbox = await ArgoSandbox.CreateAsync("prod");
        using var argo = await sandbox.ConnectAsync();
        await DeployTwiceAsync(sandbox, argo, "prod");

        var first = (await argo.GetAsync("bun-api-prod", None)).History[0];

        var failure = await Should.ThrowAsync<ArgoCdAutoSyncEnabledException>(() => argo.RollbackToAsync("bun-api-prod", first, None));

        failure.HttpStatus.ShouldBe(400);
        failure.GrpcCode.ShouldBe(9);
        failure.Message.ShouldContain("rollback cannot be initiated when auto-sync is enabled");
    }

    [Fact]
    public async Task After_a_merge_patch_turns_auto_sync_off_the_rollback_goes_to_the_chosen_entry_and_leaves_the_app_out_of_sync()
    {
        await using var sandbox = await ArgoSandbox.CreateAsync("prod");
        using var argo = await sandbox.ConnectAsync();
        var (first, _) = await DeployTwiceAsync(sandbox, argo, "prod");

        (await argo.DisableAutoSyncAsync("bun-api-prod", None)).ShouldBeTrue();
        var previous = (await argo.GetAsync("bun-api-prod", None)).History[0];
        await argo.RollbackToAsync("bun-api-prod", previous, None);
        var verdict = await argo.WaitRolledBackAsync("bun-api-prod", previous.Revision, ArgoSandbox.Settle, ArgoSandbox.Timeout, None);

        previous.Revision.ShouldBe(first);
        verdict.Healthy.ShouldBeTrue(verdict.Describe());
        verdict.LastSeen!.SyncStatus.ShouldBe("OutOfSync");
        verdict.LastSeen.AutoSync.ShouldBeFalse();
        sandbox.Simulator.Requests.Single(request => request.Method == "PATCH").Body
            .ShouldBe("""{"name":"bun-api-prod","patch":"{\u0022spec\u0022:{\u0022syncPolicy\u0022:{\u0022automated\u0022:{\u0022enabled\u0022:false}}}}","patchType":"merge"}""");
        sandbox.Simulator.With("bun-api-prod", application => application.LiveDigest).ShouldBe(GitOpsSandbox.Image(1).Digest.Value);
    }

    [Fact]
    public async Task Turning_auto_sync_off_is_refused_when_a_server_before_3_1_ignores_enabled()
    {
        await using var sandbox = await ArgoSandbox.CreateAsync("prod");
        using var argo = await sandbox.ConnectAsync();
        await DeployTwiceAsync(sandbox, argo, "prod");
        sandbox.Simulator.Configure("bun-api-prod", application => application.KnowsAutomatedEnabled = false);

        var failure = await Should.ThrowAsync<ArgoCdAutoSyncEnabledException>(() => argo.DisableAutoSyncAsync("bun-api-prod", None));

        failure.Message.ShouldContain("still has auto-sync on for bun-api-prod after the patch");
        failure.Message.ShouldContain("servers before 3.1 ignore 'enabled'. Nothing was rolled back. Turn auto-sync off by hand (argocd app set bun-api-prod --sync-policy none)");
        sandbox.Simulator.With("bun-api-prod", application => application.AutoSync).ShouldBeTrue();
        sandbox.GitOps.Text.ShouldNotContain("auto-sync of bun-api-prod is now OFF");
    }

    [Fact]
    public async Task An_unreachable_server_is_reported_as_unavailable_after_the_retries()
    {
        await using var sandbox = await ArgoSandbox.CreateAsync();
        var settings = sandbox.Settings with { Server = new Uri("http://127.0.0.1:9/"), RequestAttempts = 2 };
        using var argo = await sandbox.ConnectAsync(settings);

        var failure = await Should.ThrowAsync<ArgoCdUnavailableException>(() => argo.GetAsync("bun-api-dev", None));

        failure.Message.ShouldContain("Argo CD at http://127.0.0.1:9/ could not be reached after 2 attempts");
        failure.Message.ShouldContain("Check --argocd-server");
    }

    [Fact]
    public async Task A_server_answering_unavailable_is_retried_then_reported()
    {
        await using var sandbox = await ArgoSandbox.CreateAsync();
        sandbox.Simulator.Unavailable = true;
        using var argo = await sandbox.ConnectAsync(sandbox.Settings with { RequestAttempts = 3 });

        var failure = await Should.ThrowAsync<ArgoCdUnavailableException>(() => argo.GetAsync("bun-api-dev", None));

        failure.HttpStatus.ShouldBe(503);
        sandbox.Simulator.Requests.Count.ShouldBe(3);
    }

    [Fact]
    public async Task A_server_that_does_not_answer_in_time_is_reported_as_unavailable()
    {
        await using var sandbox = await ArgoSandbox.CreateAsync();
        sandbox.Simulator.Latency = TimeSpan.FromSeconds(2);
        using var argo = await sandbox.ConnectAsync(sandbox.Settings with { RequestTimeout = TimeSpan.FromMilliseconds(100), RequestAttempts = 2 });

        var failure = await Should.ThrowAsync<ArgoCdUnavailableException>(() => argo.GetAsync("bun-api-dev", None));

        failure.Message.ShouldContain("(no answer within 0.1 s)");
    }

    private static async Task<(string First, string Second)> DeployTwiceAsync(ArgoSandbox sandbox, ArgoCd argo, string environment)
    {
        var app = $"bun-api-{environment}";
        var first = await sandbox.PushAsync(environment, 1);
        await argo.SyncAsync(app, first, None);
        (await argo.WaitHealthyAsync(app, first, TimeSpan.Zero, ArgoSandbox.Timeout, None)).Healthy.ShouldBeTrue();
        var second = await sandbox.PushAsync(environment, 2);
        await argo.SyncAsync(app, second, None);
        (await argo.WaitHealthyAsync(app, second, TimeSpan.Zero, ArgoSandbox.Timeout, None)).Healthy.ShouldBeTrue();
        return (first, second);
    }
}
