using Bun.Delivery.Integrations.Docker;
using Bun.Pipeline.Failures;

namespace Bun.Delivery.Tests.Integrations.Docker;

public sealed class DockerEngineTests
{
    [Fact]
    public async Task No_engine_reachable_is_one_clear_error_naming_DOCKER_HOST_and_the_socket_tried()
    {
        var socket = $"unix:///tmp/bun-no-engine-{Guid.NewGuid():N}.sock";

        var failure = await Should.ThrowAsync<BuildFailure>(() => DockerEngine.ConnectAsync(socket, CancellationToken.None));

        failure.Message.ShouldStartWith($"No Docker Engine answered at {socket} (from DOCKER_HOST)");
        failure.Message.ShouldContain("set DOCKER_HOST");
    }

    [Fact]
    public async Task A_malformed_DOCKER_HOST_is_bad_input() =>
        (await Should.ThrowAsync<BuildFailure>(() => DockerEngine.ConnectAsync("not an address", CancellationToken.None)))
        .ExitCode.ShouldBe(ExitCodes.BadInput);
}
