using System.Globalization;
using Bun.Delivery.Integrations.Argo;
using Bun.Delivery.Integrations.Monitoring;
using Bun.Pipeline.Failures;

namespace Bun.Delivery.Orchestration.Deployments;

/// <summary>A signal that could not be read (Prometheus or the health URL unreachable): the verdict is unknown, never healthy.</summary>
internal sealed class SignalUnknownException(string message) : BuildFailure(message);

/// <summary>
/// What one verification watches besides Argo CD's sync and health, asked on every poll (DESIGN §8): the Rollout, read
/// through Argo CD's resource API, must have finished its steps without being aborted (Paused is still in progress);
/// the health URL must answer 2xx; Prometheus's error ratio must stay at or under the limit. The first broken signal
/// fails the verification, naming its value and the limit; one that cannot be read makes the verdict unknown.
/// </summary>
internal sealed class DeploymentWatch : IDisposable
{
    private readonly ArgoCd _argo;
    private readonly string _app;
    private readonly string _workload;
    private readonly ServiceMonitoring _monitoring;
    private readonly string? _query;
    private readonly PrometheusClient? _prometheus;
    private readonly HealthProber? _prober;
    private readonly DateTimeOffset _judgeRatioFrom;
    private ArgoResource? _rollout;

    /// <param name="workload">The Rollout's name (the app's, <c>bun-api</c>).</param>
    /// <param name="namespace">Where the service runs, for the error-ratio query; null when the overlay sets none.</param>
    /// <param name="afterSwitch">A rollback: the error ratio is judged only once its window no longer holds the version rolled back from.</param>
    public DeploymentWatch(ArgoCd argo, string app, string workload, string? @namespace, ServiceMonitoring monitoring, bool afterSwitch)
    {
        _argo = argo;
        _app = app;
        _workload = workload;
        _monitoring = monitoring;
        if (monitoring.Prometheus is { } prometheus)
        {
            _query = ErrorRatioQuery.Build(workload, @namespace ?? throw new BuildFailure(
                $"--prometheus-url is set, but the overlay of {app} names no namespace:, so the error-ratio query cannot select the service."), monitoring.Window);
            _prometheus = new PrometheusClient(prometheus);
        }

        if (monitoring.HealthUrl is not null)
            _prober = new HealthProber();
        // A quarter more than the window: the last scrapes of the version rolled back from land a little after the switch.
        _judgeRatioFrom = DateTimeOffset.UtcNow + (afterSwitch ? monitoring.Window * 1.25 : TimeSpan.Zero);
    }

    /// <summary>What is watched, in one line.</summary>
    public string Describe() =>
        string.Join(", ", new[]
        {
            "the Rollout, if the application has one",
            _monitoring.HealthUrl is { } health ? $"{health} (2xx on every poll)" : null,
            _query is null ? null : $"the error ratio at {_monitoring.Prometheus} over {ErrorRatioQuery.Window(_monitoring.Window)} (at most {Ratio(_monitoring.MaxErrorRatio)})",
        }.Where(part => part is not null));

    /// <summary>
    /// Before anything changes: the Prometheus URL must be a Prometheus, and the query must select some series (an empty
    /// answer means Prometheus does not scrape the service under that job and namespace). One line, and nothing changed, otherwise.
    /// </summary>
    public async Task CheckAsync(CancellationToken cancellation)
    {
        if (_prometheus is null)
            return;
        await _prometheus.EnsureIsPrometheusAsync("--prometheus-url", cancellation);
        var ratio = await _prometheus.ErrorRatioAsync(_query!, cancellation);
        switch (ratio)
        {
            case ErrorRatio.Unknown unknown:
                throw new BuildFailure($"Could not ask --prometheus-url for the error ratio of {_app}: {unknown.Reason}. Nothing was changed.");
            case ErrorRatio.NoSeries { Detail: var detail } when detail.StartsWith("no requests of the service are recorded", StringComparison.Ordinal):
                throw new BuildFailure(
                    $"--prometheus-url {_monitoring.Prometheus} has no series for the error ratio of {_app} ({_query}): Prometheus does not record the " +
                    "service's requests under that job and namespace. Check that it scrapes the service's /metrics. Nothing was changed.");
        }
    }

    public async Task<Watched> PollAsync(bool argoReady, CancellationToken cancellation)
    {
        // An application without a Rollout (a plain Deployment) adds nothing to Argo CD's own state.
        List<string> states = [];
        var rollout = await RolloutAsync(argoReady, cancellation);
        if (rollout.Progress == WatchProgress.Failed)
            return rollout;
        if (rollout.State.Length > 0)
            states.Add(rollout.State);
        var progress = rollout.Progress;

        if (_prober is not null)
        {
            var health = await _prober.ProbeAsync(_monitoring.HealthUrl!, cancellation);
            switch (health)
            {
                case HealthVerdict.Unknown unknown:
                    throw new SignalUnknownException($"the health URL gave no answer: {unknown.Reason}");
                case HealthVerdict.Failing failing:
                    return new Watched(WatchProgress.Failed, $"the health URL {_monitoring.HealthUrl} {failing.Describe()}, where every probe must answer 2xx");
            }

            states.Add($"health URL {health.Describe()}");
        }

        if (_prometheus is not null)
        {
            var ratio = await ErrorRatioAsync(cancellation);
            if (ratio.Progress == WatchProgress.Failed)
                return ratio;
            states.Add(ratio.State);
            if (ratio.Progress == WatchProgress.Busy)
                progress = WatchProgress.Busy;
        }

        return new Watched(progress, string.Join("; ", states));
    }

    public void Dispose()
    {
        _prometheus?.Dispose();
        _prober?.Dispose();
    }

    private async Task<Watched> RolloutAsync(bool argoReady, CancellationToken cancellation)
    {
        _rollout ??= await _argo.FindRolloutAsync(_app, _workload, cancellation);
        if (_rollout is null)
            return new Watched(argoReady ? WatchProgress.Ready : WatchProgress.Busy, "");
        var status = await _argo.ReadRolloutAsync(_app, _rollout, cancellation);
        return status.Progress switch
        {
            RolloutProgress.Healthy => new Watched(WatchProgress.Ready, $"Rollout {status}"),
            RolloutProgress.Aborted or RolloutProgress.Degraded => new Watched(WatchProgress.Failed,
                $"the {_rollout} is {(status.Aborted ? "aborted" : "Degraded")} ({status}), where it must finish its steps without being aborted"),
            _ => new Watched(WatchProgress.Busy, $"Rollout {status}: still in progress"),
        };
    }

    private async Task<Watched> ErrorRatioAsync(CancellationToken cancellation)
    {
        var window = ErrorRatioQuery.Window(_monitoring.Window);
        if (DateTimeOffset.UtcNow < _judgeRatioFrom)
            return new Watched(WatchProgress.Busy, $"error ratio: waiting until its {window} window holds only the restored version");
        var ratio = await _prometheus!.ErrorRatioAsync(_query!, cancellation);
        switch (ratio)
        {
            case ErrorRatio.Unknown unknown:
                throw new SignalUnknownException($"the error ratio could not be read: {unknown.Reason}");
            case ErrorRatio.Measured measured when measured.Exceeds(_monitoring.MaxErrorRatio):
                return new Watched(WatchProgress.Failed,
                    $"the error ratio (Prometheus, 5xx over all requests in {window}) was {Ratio(measured.Value)}, above the limit --max-error-ratio {Ratio(_monitoring.MaxErrorRatio)}");
        }

        // No series here means no requests in the window: nothing is wrong that could be seen, and Argo CD still judges the pods.
        return new Watched(WatchProgress.Ready, ratio is ErrorRatio.NoSeries none
            ? $"error ratio: nothing to judge ({none.Detail})"
            : $"{ratio.Describe()} (at most {Ratio(_monitoring.MaxErrorRatio)})");
    }

    private static string Ratio(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
