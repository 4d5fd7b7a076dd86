using Bun.Pipeline.Output;
using Polly;
using Polly.Retry;

namespace Bun.Delivery.Integrations.GitOps;

/// <summary>A push lost a race with another writer: the remote branch moved since the fetch.</summary>
internal sealed class PushRejectedException(string reason) : Exception(reason);

/// <summary>The GitOps writer's one resilience policy.</summary>
internal static class GitOpsPolicies
{
    /// <summary>
    /// A push rejected because another writer moved the branch is fetched, re-applied and pushed again: bounded, with
    /// exponential backoff and jitter so that writers racing for the same branch spread out. Never a force-push.
    /// </summary>
    public static ResiliencePipeline PushRetry(GitOpsSettings settings, BuildOutput output)
    {
        // Polly refuses a retry strategy without retries.
        if (settings.PushAttempts <= 1)
            return ResiliencePipeline.Empty;
        return new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<PushRejectedException>(),
                MaxRetryAttempts = settings.PushAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = settings.PushRetryDelay,
                MaxDelay = TimeSpan.FromSeconds(5),
                OnRetry = retry =>
                {
                    output.Dim($"GitOps: the push was rejected ({retry.Outcome.Exception?.Message}): another writer got there first; " +
                               $"fetching, re-applying and pushing again (attempt {retry.AttemptNumber + 2} of {settings.PushAttempts}).");
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }
}
