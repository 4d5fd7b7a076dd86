using Xunit.Abstractions;
using Xunit.Sdk;

namespace Bun.Pipeline.Tests.Support;

/// <summary>The gate every integration test passes first (tests/Bun.Testing): skipped on a laptop, failed under CI.</summary>
public sealed class ServiceGateTests
{
    private readonly RecordingLog _log = new();

    [Fact]
    public void A_missing_service_on_a_laptop_skips_the_test_with_the_reason()
    {
        var skip = Should.Throw<Xunit.SkipException>(() => ServiceGate.Require("connection refused.", "The OCI registry", "Start it.", _log, underCi: false));

        skip.Message.ShouldBe("The OCI registry is not available: connection refused. Start it.");
        _log.Lines.ShouldBe(["!!! SKIPPED: The OCI registry is not available: connection refused. Start it."]);
    }

    [Fact]
    public void A_missing_service_under_CI_fails_the_test()
    {
        var failure = Should.Throw<FailException>(() => ServiceGate.Require("connection refused", "The OCI registry", "Start it.", _log, underCi: true));

        failure.Message.ShouldContain("CI=true, so this test must run");
    }

    [Fact]
    public void A_running_service_lets_the_test_run()
    {
        ServiceGate.Require(null, "The OCI registry", "Start it.", _log, underCi: true);

        _log.Lines.ShouldBeEmpty();
    }

    private sealed class RecordingLog : ITestOutputHelper
    {
        public List<string> Lines { get; } = [];
        public void WriteLine(string message) => Lines.Add(message);
        public void WriteLine(string format, params object[] args) => Lines.Add(string.Format(format, args));
    }
}
