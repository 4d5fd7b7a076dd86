using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Bun.Delivery.Integrations.Argo;
using Bun.Delivery.Tests.Integrations.Argo.Simulator;
using Bun.Delivery.Tests.Integrations.GitOps;

namespace Bun.Delivery.Tests.Integrations.Argo;

/// <summary>Reading a Rollout and running its actions through Argo CD's resource API, against the simulator over loopback.</summary>
public sealed class RolloutResourceTests
{
    private const string App = "bun-api-test";
    private static readonly ArgoResource Rollout = ArgoResource.Rollout("bun-test", "bun-api");
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task The_first_version_is_promoted_at_once_and_reads_as_healthy()
    {
        await using var sandbox = await ArgoSandbox.CreateAsync();
        sandbox.Simulator.AddRollout(App);
        using var argo = await sandbox.ConnectAsync();

        await DeployAsync(sandbox, argo, 1);
        var status = await SettledAsync(argo);

        status.Progress.ShouldBe(RolloutProgress.Healthy);
        status.FullyPromoted.ShouldBeTrue();
        status.ArgoHealth.ShouldBe("Healthy");
    }

    [Fact]
    public async Task A_new_version_walks_the_canary_steps_pausing_as_Suspended_until_it_is_the_stable_one()
    {
        await using var sandbox = await ArgoSandbox.CreateAsync();
        sandbox.Simulator.AddRollout(App);
        using var argo = await sandbox.ConnectAsync();
        await DeployAsync(sandbox, argo, 1);
        await SettledAsync(argo);

        await DeployAsync(sandbox, argo, 2);
        var seen = new List<RolloutStatus>();
        do
            seen.Add(await argo.ReadRolloutAsync(App, Rollout, None));
        while (seen[^1].Progress != RolloutProgress.Healthy && seen.Count < 50);

        seen.First().Progress.ShouldBe(RolloutProgress.Progressing);
        seen.Where(status => status.Progress == RolloutProgress.Paused).ShouldNotBeEmpty();
        seen.Where(status => status.Progress == RolloutProgress.Paused).ShouldAllBe(status => status.ArgoHealth == "Suspended" && !status.FullyPromoted);
        seen.Select(status => status.CurrentStepIndex).ShouldBeInOrder();
        seen[^1].FullyPromoted.ShouldBeTrue();
        seen[^1].CurrentStepIndex.ShouldBe(6);
        sandbox.Simulator.WithRollout(App, rollout => rollout.StableDigest).ShouldBe(GitOpsSandbox.Image(2).Digest.Value);
    }

    [Fact]
    public async Task While_the_canary_pauses_the_application_and_its_tree_show_the_Rollout_as_Suspended()
    {
        await using var sandbox = await ArgoSandbox.CreateAsync();
        sandbox.Simulator.AddRollout(App, [CanaryStep.SetWeight(20), CanaryStep.Pause(CanaryStep.UntilResumed)]);
        using var argo = await sandbox.ConnectAsync();
        await DeployAsync(sandbox, argo, 1);
        await DeployAsync(sandbox, argo, 2);

        (await PausedAsync(argo)).ArgoHealth.ShouldBe("Suspended");
        var application = await argo.GetAsync(App, None);
        var unhealthy = await argo.UnhealthyResourcesAsync(App, None);

        application.Health.ShouldBe("Suspended");
        unhealthy.ShouldContain(resource => resource.Kind == "Rollout" && resource.Health == "Suspended");
    }

    [Fact]
    public async Task A_failed_analysis_aborts_the_Rollout_and_only_retry_is_left_to_run()
    {
        await using var sandbox = await ArgoSandbox.CreateAsync();
        sandbox.Simulator.AddRollout(App).FailAnalysisOf(GitOpsSandbox.Image(2).Digest.Value);
        using var argo = await sandbox.ConnectAsync();
        await DeployAsync(sandbox, argo, 1);
        await DeployAsync(sandbox, argo, 2);

        var status = await SettledAsync(argo);
        var actions = await argo.ListActionsAsync(App, Rollout, None);

        status.Progress.ShouldBe(RolloutProgress.Aborted);
        status.ArgoHealth.ShouldBe("Degraded");
        status.Message!.ShouldContain("assessed Failed");
        actions.Single(action => action.Name == "abort").Disabled.ShouldBeTrue();
        actions.Single(action => action.Name == "retry").Disabled.ShouldBeFalse();
        sandbox.Simulator.WithRollout(App, rollout => rollout.Weight).ShouldBe(0);
    }

    [Fact]
    public async Task Abort_runs_through_actions_v2_and_sends_the_traffic_back_to_the_stable_version()
    {
        await using var sandbox = await ArgoSandbox.CreateAsync();
        sandbox.Simulator.AddRollout(App, [CanaryStep.SetWeight(20), CanaryStep.Pause(CanaryStep.UntilResumed)]);
        using var argo = await sandbox.ConnectAsync();
        await DeployAsync(sandbox, argo, 1);
        await DeployAsync(sandbox, argo, 2);
        await PausedAsync(argo);

        var endpoint = await argo.RunActionAsync(App, Rollout, "abort", None);

        endpoint.ShouldBe(ArgoActionEndpoint.V2);
        var status = await argo.ReadRolloutAsync(App, Rollout, None);
        status.Progress.ShouldBe(RolloutProgress.Aborted);
        sandbox.Simulator.WithRollout(App, rollout => (rollout.Weight, rollout.StableDigest)).ShouldBe((0, GitOpsSandbox.Image(1).Digest.Value));
        var run = sandbox.Simulator.Requests.Single(request => request.Method == "POST" && request.Path.EndsWith("/resource/actions/v2", StringComparison.Ordinal));
        run.Body.ShouldContain("\"action\":\"abort\"");
        run.Body.ShouldContain("\"kind\":\"Rollout\"");
    }

    [Fact]
    public async Task Against_Argo_CD_before_3_2_an_action_falls_back_to_the_older_endpoint_and_stays_there()
    {
        await using var sandbox = await ArgoSandbox.CreateAsync();
        sandbox.Simulator.AddRollout(App, [CanaryStep.SetWeight(20), CanaryStep.Pause(CanaryStep.UntilResumed)]);
        sandbox.Simulator.ActionsV2 = false;
        using var argo = await sandbox.ConnectAsync();
        await DeployAsync(sandbox, argo, 1);
        await DeployAsync(sandbox, argo, 2);
        await PausedAsync(argo);

        var aborted = await argo.RunActionAsync(App, Rollout, "abort", None);
        var retried = await argo.RunActionAsync(App, Rollout, "retry", None);

        (aborted, retried).ShouldBe((ArgoActionEndpoint.Legacy, ArgoActionEndpoint.Legacy));
        var posts = sandbox.Simulator.Requests.Where(request => request.Method == "POST" && request.Path.Contains("/resource/actions", StringComparison.Ordinal)).ToList();
        posts.Select(request => (request.Path.EndsWith("/v2", StringComparison.Ordinal), request.Body)).ShouldBe([(true, posts[0].Body), (false, "\"abort\""), (false, "\"retry\"")]);
        (await argo.ReadRolloutAsync(App, Rollout, None)).Aborted.ShouldBeFalse();
    }

    [Fact]
    public async Task Promote_full_skips_the_remaining_steps()
    {
        await using var sandbox = await ArgoSandbox.CreateAsync();
        sandbox.Simulator.AddRollout(App, [CanaryStep.SetWeight(20), CanaryStep.Pause(CanaryStep.UntilResumed), CanaryStep.Analysis(50)]);
        using var argo = await sandbox.ConnectAsync();
        await DeployAsync(sandbox, argo, 1);
        await DeployAsync(sandbox, argo, 2);
        await PausedAsync(argo);

        await argo.RunActionAsync(App, Rollout, "promote-full", None);

        var status = await argo.ReadRolloutAsync(App, Rollout, None);
        status.Progress.ShouldBe(RolloutProgress.Healthy);
        status.FullyPromoted.ShouldBeTrue();
    }

    [Fact]
    public async Task An_action_that_does_not_apply_is_refused_with_one_clear_line_and_nothing_changes()
    {
        await using var sandbox = await ArgoSandbox.CreateAsync();
        sandbox.Simulator.AddRollout(App);
        using var argo = await sandbox.ConnectAsync();
        await DeployAsync(sandbox, argo, 1);
        await SettledAsync(argo);

        var failure = await Should.ThrowAsync<ArgoCdActionRefusedException>(() => argo.RunActionAsync(App, Rollout, "abort", None));

        failure.Message.ShouldStartWith("Could not run abort on Rollout bun-test/bun-api in bun-api-test: Argo CD has the action disabled");
        failure.Message.ShouldNotContain("\n");
        sandbox.Simulator.Requests.ShouldNotContain(request => request.Method == "POST" && request.Path.Contains("/resource/actions", StringComparison.Ordinal));
        (await argo.ReadRolloutAsync(App, Rollout, None)).Progress.ShouldBe(RolloutProgress.Healthy);
    }

    [Fact]
    public async Task The_simulator_itself_refuses_a_disabled_action_as_the_Lua_actions_do()
    {
        await using var sandbox = await ArgoSandbox.CreateAsync();
        sandbox.Simulator.AddRollout(App);
        using (var argo = await sandbox.ConnectAsync())
            await DeployAsync(sandbox, argo, 1);
        using var http = new HttpClient { BaseAddress = sandbox.Simulator.Url };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", sandbox.Simulator.AccountToken);
        const string body = """{"name":"bun-api-test","namespace":"bun-test","resourceName":"bun-api","version":"v1alpha1","group":"argoproj.io","kind":"Rollout","action":"retry"}""";

        using var response = await http.PostAsync($"api/v1/applications/{App}/resource/actions/v2", new StringContent(body, Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var error = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        error["code"]!.GetValue<int>().ShouldBe(3);
        error["message"]!.GetValue<string>().ShouldStartWith("action 'retry' is disabled");
    }

    [Fact]
    public async Task An_action_Argo_CD_does_not_offer_is_refused_with_the_ones_it_does()
    {
        await using var sandbox = await ArgoSandbox.CreateAsync();
        sandbox.Simulator.AddRollout(App);
        using var argo = await sandbox.ConnectAsync();
        await DeployAsync(sandbox, argo, 1);

        var failure = await Should.ThrowAsync<ArgoCdActionRefusedException>(() => argo.RunActionAsync(App, Rollout, "undo", None));

        failure.Message.ShouldBe("Could not run undo on Rollout bun-test/bun-api in bun-api-test: Argo CD offers no such action; it offers abort, promote-full, restart, resume, retry.");
    }

    [Fact]
    public async Task A_Rollout_the_application_does_not_have_is_named_with_what_it_has()
    {
        await using var sandbox = await ArgoSandbox.CreateAsync();
        using var argo = await sandbox.ConnectAsync();
        await DeployAsync(sandbox, argo, 1, "dev");

        var failure = await Should.ThrowAsync<ArgoCdResourceNotFoundException>(() => argo.ReadRolloutAsync("bun-api-dev", ArgoResource.Rollout("bun-dev", "bun-api"), None));

        failure.Message.ShouldBe("Could not read the live Rollout bun-dev/bun-api of bun-api-dev: the application bun-api-dev has no Rollout bun-dev/bun-api. " +
                                 "It has: Deployment bun-dev/bun-api, Service bun-dev/bun-api. Check that the environment's overlay renders it (deploy/overlays/<environment>).");
    }

    [Fact]
    public async Task A_resource_of_an_application_that_does_not_exist_is_an_application_error()
    {
        await using var sandbox = await ArgoSandbox.CreateAsync();
        using var argo = await sandbox.ConnectAsync();

        await Should.ThrowAsync<ArgoCdApplicationNotFoundException>(() => argo.ReadRolloutAsync("bun-api-qa", ArgoResource.Rollout("bun-qa", "bun-api"), None));
    }

    private static async Task DeployAsync(ArgoSandbox sandbox, ArgoCd argo, int image, string environment = "test")
    {
        var app = $"bun-api-{environment}";
        var revision = await sandbox.PushAsync(environment, image);
        await argo.SyncAsync(app, revision, None);
        var digest = GitOpsSandbox.Image(image).Digest.Value;
        for (var read = 0; read < 50 && sandbox.Simulator.With(app, application => application.LiveDigest) != digest; read++)
            await argo.GetAsync(app, None);
        sandbox.Simulator.With(app, application => application.LiveDigest).ShouldBe(digest);
    }

    private static async Task<RolloutStatus> SettledAsync(ArgoCd argo)
    {
        for (var read = 0; ; read++)
        {
            var status = await argo.ReadRolloutAsync(App, Rollout, None);
            if (status.Progress is RolloutProgress.Healthy or RolloutProgress.Aborted or RolloutProgress.Degraded || read == 50)
                return status;
        }
    }

    private static async Task<RolloutStatus> PausedAsync(ArgoCd argo)
    {
        for (var read = 0; ; read++)
        {
            var status = await argo.ReadRolloutAsync(App, Rollout, None);
            if (status.Progress == RolloutProgress.Paused || read == 50)
                return status.Progress == RolloutProgress.Paused ? status : throw new ShouldAssertException($"The Rollout never paused: {status}");
        }
    }
}
