using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Bun.Delivery.Integrations.Argo;
using Bun.Delivery.Integrations.GitOps;
using Bun.Delivery.Model.Rules;
using Bun.Delivery.Orchestration.Deployments;
using Bun.Delivery.Tests.Integrations.Argo.Simulator;
using Bun.Delivery.Tests.Orchestration.Deployments;
using Bun.Pipeline.Failures;
using Bun.Pipeline.Output;
using Bun.Pipeline.Parameters;

// The monitoring benchmark (see canary.sh): Bun.Bench.Canary --root <repo> --repository <bare repo> [--runs N] [--poll-seconds P] [--window-seconds W]
// Over the Argo CD simulator, with a real Prometheus scraping the service as processes: v1 is deployed to test and
// verified; then, each run, the bad v2 is deployed, and the times from its first 5xx (seen by the traffic) to the
// Rollout's abort (all traffic back on v1) and to the GitOps rollback commit (its sync request) are measured.
var options = args.Chunk(2).Where(pair => pair.Length == 2).ToDictionary(pair => pair[0].TrimStart('-'), pair => pair[1]);
var runs = int.Parse(options.GetValueOrDefault("runs", "3"), CultureInfo.InvariantCulture);
var poll = TimeSpan.FromSeconds(double.Parse(options.GetValueOrDefault("poll-seconds", "1"), CultureInfo.InvariantCulture));
var window = TimeSpan.FromSeconds(int.Parse(options.GetValueOrDefault("window-seconds", "15"), CultureInfo.InvariantCulture));
var log = new StringWriter();
var output = new BuildOutput(log, new OutputStyle(Colour: false, GitHubActions: false), new SecretMasker());

await using var simulator = ArgoCdSimulator.Start();
simulator.AddApplication("bun-api-test", options["repository"], "apps/bun-api/overlays/test");
// Pauses long enough (in reads, about 3 per poll) for the canary's 20% to be judged, as 30 s pauses would be in a cluster.
simulator.AddRollout("bun-api-test",
    [CanaryStep.SetWeight(20), CanaryStep.Pause(60), CanaryStep.Analysis(), CanaryStep.SetWeight(50), CanaryStep.Pause(60), CanaryStep.Analysis()]);
var (good, bad) = (Image(1), Image(2));
await using var cluster = await CanaryCluster.StartAsync(simulator, "bun-api-test", good.Digest.Value, bad.Digest.Value, "bun-test");
if (cluster.Prometheus.Unavailable is { } missing)
{
    Console.Error.WriteLine($"Prometheus is not available: {missing}. Install it with .ci/services/prometheus.sh.");
    return 1;
}

DateTimeOffset? abort = null, rollbackCommit = null;
simulator.BeforeAnswer = request =>
{
    if (request.Method == "POST" && request.Path.Contains("/resource/actions"))
        abort ??= DateTimeOffset.UtcNow;
    else if (request.Method == "POST" && request.Path.EndsWith("/sync") && abort is not null)
        rollbackCommit ??= DateTimeOffset.UtcNow;
    return Task.CompletedTask;
};

var settings = new DeploymentSettings(new GitOpsSettings(AbsolutePath.From(options["root"]), options["repository"]),
    new ArgoCdSettings(simulator.Url) { Token = simulator.AccountToken, PollInterval = poll })
{
    Settle = TimeSpan.FromSeconds(5),
    Timeout = TimeSpan.FromMinutes(3),
    Monitoring = _ => new ServiceMonitoring(cluster.Prometheus.Url, null, 0.05, window),
};
await WaitForSeriesAsync();
await using (var deployer = await Deployer.OpenAsync(settings, output, CancellationToken.None))
    await deployer.DeployAsync(new DeploymentRequest(Environments.Test, good, "1.0.1", Sha(1), "main"), CancellationToken.None);

var goal = poll + window;
Console.WriteLine($"poll interval {poll.TotalSeconds:0.#} s, rate window {window.TotalSeconds:0} s: goal ≤ {goal.TotalSeconds:0.#} s beyond the onset");
var toStable = new List<double>();
var toCommit = new List<double>();
for (var run = 1; run <= runs; run++)
{
    (abort, rollbackCommit) = (null, null);
    cluster.ResetOnset();
    await using var deployer = await Deployer.OpenAsync(settings, output, CancellationToken.None);
    try
    {
        await deployer.DeployAsync(new DeploymentRequest(Environments.Test, bad, "1.0.2", Sha(2), "main"), CancellationToken.None);
        Console.Error.WriteLine("The bad version was verified: the monitoring missed it.");
        return 1;
    }
    catch (BuildFailure) when (cluster.FirstError is { } onset && cluster.BackOnStable is { } stable && rollbackCommit is { } commit)
    {
        toStable.Add((stable - onset).TotalSeconds);
        toCommit.Add((commit - onset).TotalSeconds);
        Console.WriteLine($"run {run}: onset → traffic back on stable {toStable[^1]:0.00} s ({toStable[^1] / goal.TotalSeconds:0.00} of the goal), " +
                          $"onset → rollback commit {toCommit[^1]:0.00} s ({toCommit[^1] / goal.TotalSeconds:0.00} of the goal)");
    }
}

Console.WriteLine($"median over {runs} runs: onset → traffic back on stable {Median(toStable):0.00} s, onset → rollback commit {Median(toCommit):0.00} s; goal ≤ {goal.TotalSeconds:0.#} s");
return Median(toCommit) <= goal.TotalSeconds ? 0 : 1;

async Task WaitForSeriesAsync()
{
    using var prometheus = new Bun.Delivery.Integrations.Monitoring.PrometheusClient(cluster.Prometheus.Url);
    var clock = Stopwatch.StartNew();
    while (await prometheus.ErrorRatioAsync("bun-api", "bun-test", window, CancellationToken.None) is not Bun.Delivery.Integrations.Monitoring.ErrorRatio.Measured)
    {
        if (clock.Elapsed > TimeSpan.FromSeconds(30))
            throw new TimeoutException("Prometheus did not rate the service's traffic within 30 s");
        await Task.Delay(200);
    }
}

static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

static PinnedImage Image(int number) => new("ghcr.io/bun/bun-api", new Bun.Delivery.Model.Images.ImageDigest($"sha256:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"canary image {number}")))}"));

static string Sha(int number) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"canary commit {number}")))[..40];
