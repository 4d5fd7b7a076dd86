using Bun.Pipeline.Output;
using Polly;
using Polly.Retry;

namespace Bun.Delivery.Model.Retries;

/// <summary>How often and how soon a transient failure is retried: exponential backoff with jitter.</summary>
public sealed record RetrySettings(int MaxRetries, TimeSpan FirstDelay)
{
    /// <summary>1 s, 2 s, 4 s, 8 s (each jittered): about 15 s before a clear error.</summary>
    public static RetrySettings Default { get; } = new(4, TimeSpan.FromSeconds(1));

    /// <summary>
    /// The retry policy of one integration: only the failures <paramref name="transient"/> accepts are retried, and each
    /// retry is announced as "<paramref name="describe"/>; retrying in N s".
    /// </summary>
    public ResiliencePipeline Pipeline(PredicateBuilder<object> transient, BuildOutput output, Func<OnRetryArguments<object>, string> describe) =>
        new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = transient,
                MaxRetryAttempts = MaxRetries,
                Delay = FirstDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                OnRetry = arguments =>
                {
                    output.Warning($"{describe(arguments)}; retrying in {arguments.RetryDelay.TotalSeconds:0.0} s");
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
}
