using System.Net;
using Bun.Delivery.Model.Retries;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Bun.Delivery.Integrations.Argo;

/// <summary>The Argo CD client's resilience policies, declared once.</summary>
internal static class ArgoCdPolicies
{
    /// <summary>
    /// Per HTTP request: a timeout per attempt, and a bounded retry with jitter when Argo CD can't be reached or a read
    /// answers 502/503/504. Writes are retried only when they never got an answer, so a sync is not requested twice.
    /// </summary>
    public static HttpClient Client(ArgoCdSettings settings) => HttpTransport.Client(
        HttpTransport.Pipeline(settings.RequestAttempts, settings.RequestTimeout, settings.RetryDelay,
            response => response.RequestMessage?.Method == HttpMethod.Get
                        && response.StatusCode is HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout));

    /// <summary>A sync or rollback that meets another running operation waits for it, up to <see cref="ArgoCdSettings.BusyWait"/>.</summary>
    public static ResiliencePipeline WhileBusy(ArgoCdSettings settings)
    {
        var retries = (int)Math.Clamp(settings.BusyWait / settings.PollInterval, 0, int.MaxValue);
        // Polly refuses a retry strategy of zero retries: a wait shorter than one poll does not wait at all.
        return retries == 0
            ? ResiliencePipeline.Empty
            : new ResiliencePipelineBuilder()
                .AddRetry(new RetryStrategyOptions
                {
                    ShouldHandle = new PredicateBuilder().Handle<ArgoCdOperationInProgressException>(),
                    MaxRetryAttempts = retries,
                    BackoffType = DelayBackoffType.Constant,
                    Delay = settings.PollInterval,
                })
                .Build();
    }

    /// <summary>
    /// Polls every <see cref="ArgoCdSettings.PollInterval"/> until the poll answers true, for at most <paramref name="timeout"/>
    /// (then <see cref="TimeoutRejectedException"/>): waiting for a deployment to settle.
    /// </summary>
    public static ResiliencePipeline<bool> UntilDone(ArgoCdSettings settings, TimeSpan timeout) => new ResiliencePipelineBuilder<bool>()
        .AddTimeout(timeout)
        .AddRetry(new RetryStrategyOptions<bool>
        {
            ShouldHandle = poll => ValueTask.FromResult(poll.Outcome is { Exception: null, Result: false }),
            MaxRetryAttempts = int.MaxValue,
            BackoffType = DelayBackoffType.Constant,
            Delay = settings.PollInterval,
        })
        .Build();
}
