using System.Globalization;
using System.Net;
using Bun.Delivery.Model.Retries;
using Bun.Pipeline.Output;
using Octokit;
using Polly;
using Polly.Retry;

namespace Bun.Delivery.Integrations.GitHub;

/// <summary>
/// The retry policies for GitHub API calls. Transient failures (no connection, a timeout, a 5xx) follow the registry's
/// schedule (<see cref="RetrySettings"/>). A rate limit is waited out: until <c>x-ratelimit-reset</c> for the primary
/// limit, for <c>retry-after</c> (or a minute, as GitHub advises) for a secondary one, at most
/// <see cref="RateLimitWaits"/> times and never longer than <see cref="MaxRateLimitWait"/> at once; a longer wait is
/// left to the caller's clear error. Other 4xx answers (bad token, missing permission) are answers, and not retried.
/// </summary>
internal static class GitHubRetry
{
    public const int RateLimitWaits = 3;
    public static readonly TimeSpan MaxRateLimitWait = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan SecondaryLimitDefaultWait = TimeSpan.FromMinutes(1);

    public static ResiliencePipeline Create(RetrySettings settings, BuildOutput output, TimeProvider? clock = null)
    {
        var time = clock ?? TimeProvider.System;
        var transient = settings.Pipeline(new PredicateBuilder()
                .Handle<HttpRequestException>()
                .Handle<TaskCanceledException>(canceled => canceled.InnerException is TimeoutException)
                .Handle<ApiException>(failure => failure.StatusCode >= HttpStatusCode.InternalServerError),
            output,
            arguments => $"GitHub: {arguments.Outcome.Exception?.Message}");
        return new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = arguments => ValueTask.FromResult(RateLimitWait(arguments.Outcome.Exception, time) is { } wait && wait <= MaxRateLimitWait),
                MaxRetryAttempts = RateLimitWaits,
                DelayGenerator = arguments => ValueTask.FromResult(RateLimitWait(arguments.Outcome.Exception, time)),
                OnRetry = arguments =>
                {
                    output.Warning($"GitHub's rate limit is reached ({arguments.Outcome.Exception?.Message}); waiting {arguments.RetryDelay.TotalSeconds:0} s, as GitHub asks");
                    return ValueTask.CompletedTask;
                },
            })
            .AddPipeline(transient)
            .Build();
    }

    /// <summary>How long GitHub asks to wait before the next request; null when the failure is not a rate limit.</summary>
    public static TimeSpan? RateLimitWait(Exception? failure, TimeProvider clock)
    {
        if (failure is not ApiException { StatusCode: HttpStatusCode.Forbidden or HttpStatusCode.TooManyRequests } limited)
            return null;
        var headers = limited.HttpResponse?.Headers;
        if (Header(headers, "Retry-After") is { } retryAfter && int.TryParse(retryAfter, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            return TimeSpan.FromSeconds(seconds);
        if (failure is RateLimitExceededException primary)
            return Max(primary.Reset - clock.GetUtcNow(), TimeSpan.Zero) + TimeSpan.FromSeconds(1);
        if (failure is SecondaryRateLimitExceededException or AbuseException || limited.StatusCode == HttpStatusCode.TooManyRequests)
            return SecondaryLimitDefaultWait;
        return Header(headers, "X-RateLimit-Remaining") == "0"
               && long.TryParse(Header(headers, "X-RateLimit-Reset"), NumberStyles.None, CultureInfo.InvariantCulture, out var reset)
            ? Max(DateTimeOffset.FromUnixTimeSeconds(reset) - clock.GetUtcNow(), TimeSpan.Zero) + TimeSpan.FromSeconds(1)
            : null;
    }

    private static string? Header(IReadOnlyDictionary<string, string>? headers, string name) =>
        headers?.FirstOrDefault(header => header.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

    private static TimeSpan Max(TimeSpan first, TimeSpan second) => first > second ? first : second;
}
