using System.Net;
using Bun.Delivery.Model.Retries;
using Bun.Pipeline.Output;
using Octokit;
using Polly;

namespace Bun.Delivery.Integrations.GitHub;

/// <summary>
/// The one retry policy for GitHub API calls, on the registry's schedule (<see cref="RetrySettings"/>): no connection,
/// a timeout, or a 5xx. A 4xx (bad token, missing scope, rate limit) is an answer, not a hiccup, and is not retried.
/// </summary>
internal static class GitHubRetry
{
    public static ResiliencePipeline Create(RetrySettings settings, BuildOutput output) =>
        settings.Pipeline(new PredicateBuilder()
                .Handle<HttpRequestException>()
                .Handle<TaskCanceledException>(canceled => canceled.InnerException is TimeoutException)
                .Handle<ApiException>(failure => failure.StatusCode >= HttpStatusCode.InternalServerError),
            output,
            arguments => $"GitHub: {arguments.Outcome.Exception?.Message}");
}
