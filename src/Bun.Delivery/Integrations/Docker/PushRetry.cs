using Bun.Delivery.Model.Retries;
using Bun.Pipeline.Output;
using Polly;

namespace Bun.Delivery.Integrations.Docker;

/// <summary>A push failure worth another try: the registry was unreachable, overloaded or cut the connection.</summary>
public sealed class TransientPushException(string message) : Exception(message);

/// <summary>The one retry policy for pushes: transient failures only.</summary>
internal static class PushRetry
{
    public static ResiliencePipeline Create(RetrySettings settings, string what, BuildOutput output) =>
        settings.Pipeline(new PredicateBuilder().Handle<TransientPushException>(), output,
            arguments => $"{what}: attempt {arguments.AttemptNumber + 1} failed ({arguments.Outcome.Exception?.Message})");
}
