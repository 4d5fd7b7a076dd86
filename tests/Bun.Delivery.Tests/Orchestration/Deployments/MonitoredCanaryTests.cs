using Bun.Delivery.Integrations.Argo;
using Bun.Delivery.Integrations.GitOps;
using Bun.Delivery.Integrations.Monitoring;
using Bun.Delivery.Model.Rules;
using Bun.Delivery.Orchestration.Deployments;
using Bun.Delivery.Tests.Integrations.Argo.Simulator;
using Bun.Delivery.Tests.Integrations.GitOps;
using Bun.Pipeline.Failures;
using Xunit.Abstractions;

namespace Bun.Delivery.Tests.Orchestration.Deployments;

/// <summary>
/// End to end with a real Prometheus scraping the service as processes (<see cref="CanaryCluster"/>) while the simulator
/// runs the canary: a good version is verified, a bad one is caught by its error ratio inside the settle window and
/// test rolls back by itself (Rollout aborted, then the GitOps commit); Prometheus going away leaves the verdict unknown.
/// </summary>
public sealed class MonitoredCanaryTests(ITestOutputHelper log)
{
    private const string App = "bun-api-test";
    private static readonly string Good = GitOpsSandbox.Image(1).Digest.Value;
    private static readonly string Bad = GitOpsSandbox.Image(2).Digest.Value;

    // The canary holds each pause for ~100 reads, long enough for Prometheus to see the errors of its 20%.
    private static readonly IReadOnlyList<CanaryStep> SlowCanary =
        [CanaryStep.SetWeight(20), CanaryStep.Pause(100), CanaryStep.Analysis(), CanaryStep.SetWeight(50), CanaryStep.Pause(100), CanaryStep.Analysis()];

    [SkippableFact]
    public async Task A_bad_version_is_caught_by_its_error_ratio_and_test_rolls_back_to_the_stable_one()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync();
        sandbox.Argo.Simulator.AddRollout(App, SlowCanary);
        await using var cluster = await StartAsync(sandbox, "bun-test");
        var settings = Watched(sandbox, cluster);

        (await sandbox.DeployAsync(Environments.Test, 1, settings)).Verification.ShouldBe(Verification.Healthy);
        var failure = await Should.ThrowAsync<BuildFailure>(() => sandbox.DeployAsync(Environments.Test, 2, settings));

        log.WriteLine(failure.Message);
        failure.Message.ShouldMatch(@"the error ratio \(Prometheus, 5xx over all requests in 10s\) was 0\.\d+, above the limit --max-error-ratio 0\.05");
        failure.Message.ShouldContain("test was rolled back automatically to 1.0.1");
        sandbox.Text.ShouldContain("Aborted Rollout bun-test/bun-api in bun-api-test through Argo CD (actions/v2)");
        cluster.FirstError.ShouldNotBeNull();
        cluster.BackOnStable.ShouldNotBeNull();
        sandbox.Argo.Simulator.WithRollout(App, rollout => (rollout.StableDigest, rollout.FullyPromoted)).ShouldBe((Good, true));
        (await cluster.ServedVersionAsync()).ShouldBe("1.0.1");
        var history = await sandbox.HistoryAsync(Environments.Test);
        history.Deployments.Select(record => (record.Deployment.Action, record.Deployment.Version, record.Verification)).ShouldBe(
        [
            (DeploymentAction.Rollback, "1.0.1", Verification.Healthy),
            (DeploymentAction.Deploy, "1.0.2", Verification.Failed),
            (DeploymentAction.Deploy, "1.0.1", Verification.Healthy),
        ]);
        var records = history.Deployments.ToList();
        records[1].RolledBackBy.ShouldBe(records[0].Commit);
    }

    [SkippableFact]
    public async Task Prometheus_going_away_during_the_verification_leaves_the_verdict_unknown_and_rolls_nothing_back()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync();
        sandbox.Argo.Simulator.AddRollout(App, SlowCanary);
        await using var cluster = await StartAsync(sandbox, "bun-test");
        var settings = Watched(sandbox, cluster);
        await sandbox.DeployAsync(Environments.Test, 1, settings);
        sandbox.Argo.Simulator.BeforeAnswer = async request =>
        {
            if (request.Method == "POST" && request.Path.EndsWith("/sync"))
                await cluster.Prometheus.StopAsync();
        };

        var failure = await Should.ThrowAsync<BuildFailure>(() => sandbox.DeployAsync(Environments.Test, 2, settings));

        failure.Message.ShouldContain("but its verdict is unknown: the error ratio could not be read: Prometheus at");
        failure.Message.ShouldContain("Nothing was recorded as failed and nothing was rolled back");
        (await sandbox.PinnedAsync(Environments.Test)).ShouldBe(Bad);
        (await sandbox.HistoryAsync(Environments.Test)).Current!.Verification.ShouldBe(Verification.Unverified);
        sandbox.Argo.Simulator.Requests.ShouldNotContain(request => request.Method == "POST" && request.Path.Contains("/resource/actions"));
    }

    [SkippableFact]
    public async Task A_query_with_no_series_is_refused_before_git_changes()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync();
        sandbox.Argo.Simulator.AddRollout(App, SlowCanary);
        await using var cluster = await StartAsync(sandbox, "bun-elsewhere");
        var head = await sandbox.GitOps.RemoteHeadAsync();

        var failure = await Should.ThrowAsync<BuildFailure>(() => sandbox.DeployAsync(Environments.Test, 1, Watched(sandbox, cluster)));

        failure.Message.ShouldStartWith($"--prometheus-url {cluster.Prometheus.Url} has no series for the error ratio of {App}");
        failure.Message.ShouldContain("namespace=\"bun-test\"");
        failure.Message.ShouldEndWith("Nothing was changed.");
        (await sandbox.GitOps.RemoteHeadAsync()).ShouldBe(head);
    }

    private async Task<CanaryCluster> StartAsync(DeploymentSandbox sandbox, string scrapedAs)
    {
        var cluster = await CanaryCluster.StartAsync(sandbox.Argo.Simulator, App, Good, Bad, scrapedAs);
        try
        {
            cluster.Prometheus.Require(log);
            await ScrapedAsync(cluster, scrapedAs);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    // Prometheus has rated the good version's traffic once: the first deploy's check finds series.
    private static async Task ScrapedAsync(CanaryCluster cluster, string @namespace)
    {
        using var prometheus = new PrometheusClient(cluster.Prometheus.Url);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (await prometheus.ErrorRatioAsync("bun-api", @namespace, Window, CancellationToken.None) is not ErrorRatio.Measured)
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException("Prometheus did not rate the service's traffic within 30 s");
            await Task.Delay(200);
        }
    }

    private static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    // Polls every 250 ms, a 3 s settle window, and the error ratio over 10 s at most 0.05.
    private static DeploymentSettings Watched(DeploymentSandbox sandbox, CanaryCluster cluster) => sandbox.Settings with
    {
        ArgoCd = sandbox.Argo.Settings with { PollInterval = TimeSpan.FromMilliseconds(250) },
        Settle = TimeSpan.FromSeconds(3),
        Timeout = TimeSpan.FromMinutes(2),
        Monitoring = _ => new ServiceMonitoring(cluster.Prometheus.Url, null, 0.05, Window),
    };
}
