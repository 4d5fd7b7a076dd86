using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Bun.Delivery.Model.Retries;

/// <summary>
/// The one per-request policy of the HTTP integrations (Argo CD, Prometheus, health URLs): a timeout per attempt, and a
/// bounded retry with jitter of requests that got no answer, or an answer <c>retryAnswer</c> calls transient.
/// </summary>
internal static class HttpTransport
{
    /// <param name="attempts">Sends in all; 1 means no retry at all.</param>
    /// <param name="retryAnswer">Which answers are worth sending again (a busy 503, say); the others are the result.</param>
    public static ResiliencePipeline<HttpResponseMessage> Pipeline(int attempts, TimeSpan timeout, TimeSpan retryDelay, Func<HttpResponseMessage, bool> retryAnswer)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempts, 1);
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>();
        // Polly refuses a retry strategy of zero retries: one attempt is no strategy at all.
        if (attempts > 1)
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = retry => ValueTask.FromResult(retry.Outcome switch
                {
                    { Exception: HttpRequestException or TimeoutRejectedException } => true,
                    { Result: { } response } => retryAnswer(response),
                    _ => false,
                }),
                MaxRetryAttempts = attempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = retryDelay,
                OnRetry = retry =>
                {
                    retry.Outcome.Result?.Dispose();
                    return ValueTask.CompletedTask;
                },
            });
        return builder.AddTimeout(timeout).Build();
    }

    /// <summary>An HttpClient whose every request goes through <paramref name="pipeline"/>, which owns the timeouts.</summary>
    public static HttpClient Client(ResiliencePipeline<HttpResponseMessage> pipeline) =>
        new(new PolicyHandler(pipeline)) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };

    private sealed class PolicyHandler(ResiliencePipeline<HttpResponseMessage> pipeline) : DelegatingHandler(new SocketsHttpHandler())
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            await pipeline.ExecuteAsync(async token => await base.SendAsync(request, token), cancellationToken);
    }
}
