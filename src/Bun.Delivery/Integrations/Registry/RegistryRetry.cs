using Bun.Delivery.Model.Retries;
using Bun.Pipeline.Output;
using Polly;

namespace Bun.Delivery.Integrations.Registry;

/// <summary>A registry request worth another try: no connection, a timeout, 429 or a 5xx.</summary>
public sealed class TransientRegistryException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The one retry policy for registry API calls: transient failures only.</summary>
internal static class RegistryRetry
{
    public static ResiliencePipeline Create(RetrySettings settings, BuildOutput output) =>
        settings.Pipeline(new PredicateBuilder().Handle<TransientRegistryException>(), output,
            arguments => $"{arguments.Outcome.Exception?.Message}");
}
