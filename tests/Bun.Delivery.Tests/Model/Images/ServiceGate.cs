using Xunit.Abstractions;

namespace Bun.Delivery.Tests.Model.Images;

/// <summary>
/// What a test does when a real service it needs is missing: under CI=true it fails, since .ci/run starts every
/// service; on a laptop it writes the reason loudly and the test returns early (xunit 2 has no dynamic skip).
/// </summary>
internal static class ServiceGate
{
    public static bool IsAvailable(string? unavailable, string service, string howToStart, ITestOutputHelper log)
    {
        if (unavailable is null)
            return true;
        var reason = $"{service} is not available: {unavailable.TrimEnd('.')}";
        if (Environment.GetEnvironmentVariable("CI") == "true")
            Assert.Fail($"{reason} (CI=true, so this test must run). {howToStart}");
        log.WriteLine($"!!! NOT RUN: {reason}. {howToStart}");
        return false;
    }
}
