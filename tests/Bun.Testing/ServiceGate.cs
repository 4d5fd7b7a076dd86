using Xunit.Abstractions;

namespace Bun.Testing;

/// <summary>
/// What a test does when a real service it needs is missing: under CI=true it fails, since .ci/run starts every
/// service; on a laptop it is reported as skipped, with the reason, never as passed. The test must be a
/// <c>[SkippableFact]</c> or <c>[SkippableTheory]</c> (a plain <c>[Fact]</c> would count the skip as a failure).
/// </summary>
public static class ServiceGate
{
    /// <param name="log">Where the loud skip line goes; null for helpers that have no test output to write to.</param>
    public static void Require(string? unavailable, string service, string howToStart, ITestOutputHelper? log) =>
        Require(unavailable, service, howToStart, log, underCi: Environment.GetEnvironmentVariable("CI") == "true");

    public static void Require(string? unavailable, string service, string howToStart, ITestOutputHelper? log, bool underCi)
    {
        if (unavailable is null)
            return;
        var reason = $"{service} is not available: {unavailable.TrimEnd('.')}";
        if (underCi)
            Assert.Fail($"{reason} (CI=true, so this test must run). {howToStart}");
        log?.WriteLine($"!!! SKIPPED: {reason}. {howToStart}");
        throw new SkipException($"{reason}. {howToStart}");
    }
}
