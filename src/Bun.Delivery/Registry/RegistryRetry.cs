using Bun.Pipeline.Output;
using Polly;
using Polly.Retry;

namespace Bun.Delivery.Registry;

/// <summary>A registry request worth another try: no connection, a timeout, 429 or a 5xx.</summary>
public sealed class TransientRegistryException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The one retry policy for registry API calls: transient failures only, exponential backoff with jitter.</summary>
internal static class RegistryRetry
{
    public static ResiliencePipeline Create(RetrySettings settings, BuildOutput output) => new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<TransientRegistryException>(),
            MaxRetryAttempts = settings.MaxRetries,
            Delay = settings.FirstDelay,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            OnRetry = arguments =>
            {
                output.Warning($"{arguments.Outcome.Exception?.Message}; retrying in {arguments.RetryDelay.TotalSeconds:0.0} s");
                return ValueTask.CompletedTask;
            },
        })
        .Build();
}
