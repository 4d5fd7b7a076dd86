using Bun.Delivery.Integrations.Argo;
using Bun.Delivery.Integrations.Monitoring;
using Bun.Delivery.Model.Retries;
using Bun.Pipeline.Output;

namespace Bun.Delivery.Tests.Model.Retries;

/// <summary>The one HTTP policy of Argo CD, Prometheus and health URLs, against a loopback server that counts requests.</summary>
public sealed class HttpTransportTests
{
    private int _requests;

    [Fact]
    public async Task One_attempt_sends_once_and_does_not_retry()
    {
        await using var server = Busy();
        using var client = HttpTransport.Client(HttpTransport.Pipeline(1, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(10), _ => true));

        using var answer = await client.GetAsync(server.Url);

        ((int)answer.StatusCode).ShouldBe(503);
        _requests.ShouldBe(1);
    }

    [Fact]
    public async Task Transient_answers_are_sent_again_up_to_the_attempts()
    {
        await using var server = Busy();
        using var client = HttpTransport.Client(HttpTransport.Pipeline(3, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(10), _ => true));

        using var answer = await client.GetAsync(server.Url);

        ((int)answer.StatusCode).ShouldBe(503);
        _requests.ShouldBe(3);
    }

    [Fact]
    public async Task The_clients_work_with_a_single_attempt_and_no_busy_wait()
    {
        await using var server = Busy();
        using var prober = new HealthProber(new MonitoringSettings { RequestAttempts = 1 });
        (await prober.ProbeAsync(server.Url, CancellationToken.None)).ShouldBeOfType<HealthVerdict.Failing>().Status.ShouldBe(503);

        var output = new BuildOutput(TextWriter.Null, new OutputStyle(Colour: false, GitHubActions: false), new SecretMasker());
        using var argo = await ArgoCd.ConnectAsync(new ArgoCdSettings(server.Url) { Token = "token", RequestAttempts = 1, BusyWait = TimeSpan.Zero }, output, CancellationToken.None);
        await Should.ThrowAsync<ArgoCdUnavailableException>(() => argo.ListAsync(CancellationToken.None));

        _requests.ShouldBe(2);
    }

    private LoopbackHttpServer Busy() => LoopbackHttpServer.Start(context =>
    {
        Interlocked.Increment(ref _requests);
        context.Response.StatusCode = 503;
        context.Response.Close();
        return Task.CompletedTask;
    });
}
