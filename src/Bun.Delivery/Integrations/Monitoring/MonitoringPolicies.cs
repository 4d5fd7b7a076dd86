using System.Net;
using Bun.Delivery.Model.Retries;

namespace Bun.Delivery.Integrations.Monitoring;

/// <summary>The monitoring clients' resilience policy, declared once.</summary>
internal static class MonitoringPolicies
{
    /// <summary>
    /// A client whose requests get a timeout per attempt and a bounded retry while there is no answer. With
    /// <paramref name="retryBusyAnswers"/>, 502/503/504 are retried too (a busy Prometheus); a health URL's 503 is an
    /// answer about the service and is not retried.
    /// </summary>
    public static HttpClient Client(MonitoringSettings settings, bool retryBusyAnswers) => HttpTransport.Client(
        HttpTransport.Pipeline(settings.RequestAttempts, settings.RequestTimeout, settings.RetryDelay,
            response => retryBusyAnswers && response.StatusCode is HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout));
}
