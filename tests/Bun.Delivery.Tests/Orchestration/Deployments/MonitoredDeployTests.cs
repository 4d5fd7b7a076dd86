using System.Net;
using Bun.Delivery.Integrations.GitOps;
using Bun.Delivery.Model.Rules;
using Bun.Delivery.Orchestration.Deployments;
using Bun.Delivery.Tests.Integrations.Argo.Simulator;
using Bun.Delivery.Tests.Integrations.GitOps;
using Bun.Pipeline.Failures;

namespace Bun.Delivery.Tests.Orchestration.Deployments;

/// <summary>
/// A deploy is verified only when Argo CD, the Rollout and the health URL all hold for the settle window; a broken signal
/// rolls test back (the Rollout aborted first), one that cannot be read leaves the verdict unknown. Over the simulator;
/// the health URL is a loopback server that answers 503 while the bad version takes traffic. Prometheus: MonitoredCanaryTests.
/// </summary>
public sealed class MonitoredDeployTests
{
    private static readonly string Bad = GitOpsSandbox.Image(2).Digest.Value;

    [Fact]
    public async Task A_canary_is_verified_only_once_the_Rollout_has_finished_its_steps()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync();
        sandbox.Argo.Simulator.AddRollout("bun-api-test");
        await sandbox.DeployAsync(Environments.Test, 1);

        var outcome = await sandbox.DeployAsync(Environments.Test, 2);

        outcome.Verification.ShouldBe(Verification.Healthy);
        sandbox.Argo.Simulator.WithRollout("bun-api-test", rollout => (rollout.StableDigest, rollout.FullyPromoted)).ShouldBe((Bad, true));
        sandbox.Text.ShouldMatch(@"health Suspended; Rollout phase \w+ at step \d of 6[^\n]*: still in progress");
        sandbox.Text.ShouldMatch(@"Rollout phase Paused at step \d of 6 \(CanaryPauseStep\): still in progress");
        sandbox.Text.ShouldContain("Rollout phase Healthy at step 6 of 6");
        sandbox.Argo.Simulator.Requests.ShouldContain(request => request.Path == "/api/v1/applications/bun-api-test/resource");
    }

    [Fact]
    public async Task A_failing_health_URL_aborts_the_Rollout_then_rolls_test_back_through_git()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync();
        sandbox.Argo.Simulator.AddRollout("bun-api-test");
        await using var health = HealthUrl(() => BadVersionTakesTraffic(sandbox, "bun-api-test") ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.OK);
        var settings = sandbox.Settings with { Monitoring = _ => ServiceMonitoring.None with { HealthUrl = health.Url } };
        await sandbox.DeployAsync(Environments.Test, 1, settings);

        var failure = await Should.ThrowAsync<BuildFailure>(() => sandbox.DeployAsync(Environments.Test, 2, settings));

        failure.Message.ShouldContain($"the health URL {health.Url} answered 503");
        failure.Message.ShouldContain("where every probe must answer 2xx");
        failure.Message.ShouldContain("test was rolled back automatically to 1.0.1");
        var requests = sandbox.Argo.Simulator.Requests.ToList();
        var abort = requests.FindIndex(request => request.Path.EndsWith("/resource/actions/v2") && request.Body.Contains("\"abort\""));
        abort.ShouldBeGreaterThan(0);
        requests.FindLastIndex(request => request.Path.EndsWith("/sync")).ShouldBeGreaterThan(abort, "the rollback's sync comes after the abort");
        (await sandbox.PinnedAsync(Environments.Test)).ShouldBe(GitOpsSandbox.Image(1).Digest.Value);
        sandbox.Argo.Simulator.WithRollout("bun-api-test", rollout => (rollout.StableDigest, rollout.FullyPromoted)).ShouldBe((GitOpsSandbox.Image(1).Digest.Value, true));
        var history = await sandbox.HistoryAsync(Environments.Test);
        history.Deployments.Select(record => (record.Deployment.Action, record.Verification)).ShouldBe(
            [(DeploymentAction.Rollback, Verification.Healthy), (DeploymentAction.Deploy, Verification.Failed), (DeploymentAction.Deploy, Verification.Healthy)]);
    }

    [Fact]
    public async Task A_canary_aborted_by_its_analysis_fails_and_test_is_rolled_back()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync();
        var rollout = sandbox.Argo.Simulator.AddRollout("bun-api-test");
        await sandbox.DeployAsync(Environments.Test, 1);
        sandbox.Argo.Simulator.WithRollout("bun-api-test", watched => { watched.FailAnalysisOf(Bad); return 0; });

        var failure = await Should.ThrowAsync<BuildFailure>(() => sandbox.DeployAsync(Environments.Test, 2));

        failure.Message.ShouldContain("Metric \"error-ratio\" assessed Failed");
        failure.Message.ShouldContain("test was rolled back automatically to 1.0.1");
        sandbox.Text.ShouldContain("is aborted already");
        sandbox.Argo.Simulator.Requests.ShouldNotContain(request => request.Path.Contains("/resource/actions") && request.Method == "POST");
        rollout.StableDigest.ShouldBe(GitOpsSandbox.Image(1).Digest.Value);
    }

    [Fact]
    public async Task A_failing_health_URL_in_stage_fails_the_deploy_and_leaves_it_pinned()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync();
        await sandbox.DeployAsync(Environments.Stage, 1);
        await using var health = HealthUrl(() => HttpStatusCode.InternalServerError);
        var settings = sandbox.Settings with { Monitoring = _ => ServiceMonitoring.None with { HealthUrl = health.Url } };

        var failure = await Should.ThrowAsync<BuildFailure>(() => sandbox.DeployAsync(Environments.Stage, 2, settings));

        failure.Message.ShouldContain("answered 500");
        failure.Message.ShouldContain("The GitOps repository still pins it in stage");
        (await sandbox.PinnedAsync(Environments.Stage)).ShouldBe(Bad);
    }

    [Fact]
    public async Task A_health_URL_that_cannot_be_reached_gives_an_unknown_verdict_and_rolls_nothing_back()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync();
        sandbox.Argo.Simulator.AddRollout("bun-api-test");
        await sandbox.DeployAsync(Environments.Test, 1);
        var settings = sandbox.Settings with { Monitoring = _ => ServiceMonitoring.None with { HealthUrl = new Uri("http://127.0.0.1:1/healthz") } };

        var failure = await Should.ThrowAsync<BuildFailure>(() => sandbox.DeployAsync(Environments.Test, 2, settings));

        failure.Message.ShouldContain("but its verdict is unknown: the health URL gave no answer: http://127.0.0.1:1/healthz could not be reached");
        failure.Message.ShouldContain("Nothing was recorded as failed and nothing was rolled back");
        (await sandbox.PinnedAsync(Environments.Test)).ShouldBe(Bad);
        (await sandbox.HistoryAsync(Environments.Test)).Current!.Verification.ShouldBe(Verification.Unverified);
        sandbox.Argo.Simulator.Requests.ShouldNotContain(request => request.Path.Contains("/resource/actions") && request.Method == "POST");
    }

    [Fact]
    public async Task A_Prometheus_URL_that_is_not_a_Prometheus_is_refused_before_git_changes()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync();
        await using var notPrometheus = HealthUrl(() => HttpStatusCode.OK);
        var head = await sandbox.GitOps.RemoteHeadAsync();
        var settings = sandbox.Settings with { Monitoring = _ => ServiceMonitoring.None with { Prometheus = notPrometheus.Url } };

        var failure = await Should.ThrowAsync<BuildFailure>(() => sandbox.DeployAsync(Environments.Test, 1, settings));

        failure.Message.ShouldStartWith($"--prometheus-url {notPrometheus.Url} is not a Prometheus");
        failure.Message.ShouldNotContain("\n");
        (await sandbox.GitOps.RemoteHeadAsync()).ShouldBe(head);
    }

    [Fact]
    public async Task An_unreachable_Prometheus_is_refused_before_git_changes()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync();
        var head = await sandbox.GitOps.RemoteHeadAsync();
        var settings = sandbox.Settings with { Monitoring = _ => ServiceMonitoring.None with { Prometheus = new Uri("http://127.0.0.1:1/") } };

        var failure = await Should.ThrowAsync<BuildFailure>(() => sandbox.DeployAsync(Environments.Test, 1, settings));

        failure.Message.ShouldStartWith("Could not check --prometheus-url: Prometheus at http://127.0.0.1:1/ could not be reached");
        (await sandbox.GitOps.RemoteHeadAsync()).ShouldBe(head);
    }

    // While the bad version's canary has weight and has not been aborted.
    private static bool BadVersionTakesTraffic(DeploymentSandbox sandbox, string app) =>
        sandbox.Argo.Simulator.WithRollout(app, rollout => rollout.CurrentDigest == Bad && rollout.Weight > 0);

    internal static LoopbackHttpServer HealthUrl(Func<HttpStatusCode> status) => LoopbackHttpServer.Start(context =>
    {
        context.Response.StatusCode = (int)status();
        context.Response.ContentType = "text/plain";
        using (var writer = new StreamWriter(context.Response.OutputStream))
            writer.Write(context.Response.StatusCode == 200 ? "ok" : "unhealthy");
        context.Response.Close();
        return Task.CompletedTask;
    });
}
