using System.Net;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Bun.Delivery.Integrations.Monitoring;

/// <summary>The monitoring clients' resilience policies, declared once.</summary>
internal static class MonitoringPolicies
{
    /// <summary>
    /// Per request: a timeout per attempt and a bounded retry with jitter while there is no answer. With
    /// <paramref name="retryBusyAnswers"/>, 502/503/504 are retried too (a busy Prometheus); a health URL's 503 is an
    /// answer about the service and is not retried.
    /// </summary>
    public static ResiliencePipeline<HttpResponseMessage> Transport(MonitoringSettings settings, bool retryBusyAnswers) => new ResiliencePipelineBuilder<HttpResponseMessage>()
        .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
        {
            ShouldHandle = retry => ValueTask.FromResult(retry.Outcome switch
            {
                { Exception: HttpRequestException or TimeoutRejectedException } => true,
                { Result: { } response } => retryBusyAnswers && response.StatusCode is HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout,
                _ => false,
            }),
            MaxRetryAttempts = Math.Max(0, settings.RequestAttempts - 1),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = settings.RetryDelay,
            OnRetry = retry =>
            {
                retry.Outcome.Result?.Dispose();
                return ValueTask.CompletedTask;
            },
        })
        .AddTimeout(settings.RequestTimeout)
        .Build();

    public static HttpClient Client(MonitoringSettings settings, bool retryBusyAnswers) =>
        new(new PolicyHandler(Transport(settings, retryBusyAnswers))) { Timeout = Timeout.InfiniteTimeSpan };

    /// <summary>Sends each request through the transport policy, which owns the timeouts.</summary>
    private sealed class PolicyHandler(ResiliencePipeline<HttpResponseMessage> pipeline) : DelegatingHandler(new SocketsHttpHandler())
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            await pipeline.ExecuteAsync(async token => await base.SendAsync(request, token), cancellationToken);
    }
}
