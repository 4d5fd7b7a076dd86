using Bun.Delivery.Registry;
using Bun.Pipeline.Output;
using Polly;
using Polly.Retry;

namespace Bun.Delivery.Docker;

/// <summary>A push failure worth another try: the registry was unreachable, overloaded or cut the connection.</summary>
public sealed class TransientPushException(string message) : Exception(message);

/// <summary>The one retry policy for pushes: transient failures only, exponential backoff with jitter.</summary>
internal static class PushRetry
{
    public static ResiliencePipeline Create(RetrySettings settings, string what, BuildOutput output) => new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<TransientPushException>(),
            MaxRetryAttempts = settings.MaxRetries,
            Delay = settings.FirstDelay,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            OnRetry = arguments =>
            {
                output.Warning($"{what}: attempt {arguments.AttemptNumber + 1} failed ({arguments.Outcome.Exception?.Message}); " +
                               $"retrying in {arguments.RetryDelay.TotalSeconds:0.0} s");
                return ValueTask.CompletedTask;
            },
        })
        .Build();
}
