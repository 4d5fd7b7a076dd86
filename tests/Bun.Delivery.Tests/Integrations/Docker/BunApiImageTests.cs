using System.Net.Http.Json;
using System.Net.Sockets;
using System.Net;
using System.Text.Json;
using Bun.Delivery.Integrations.Docker;
using Bun.Delivery.Integrations.Registry;
using Bun.Delivery.Model.Images;
using Bun.Delivery.Orchestration.Images;
using Bun.Delivery.Tests.Integrations.Registry;
using Bun.Delivery.Tests.Model.Images;
using Docker.DotNet.Models;
using Xunit.Abstractions;

namespace Bun.Delivery.Tests.Integrations.Docker;

[Collection(ContainerImagesCollection.Name)]
public sealed class BunApiImageTests(DockerEngineFixture docker, RegistryServer registry, ITestOutputHelper log)
{
    [SkippableFact]
    public async Task The_service_image_is_pushed_pulled_back_by_digest_and_answers_healthz_and_version()
    {
        docker.RequireBaseImage(log);
        registry.Require(log);
        var image = await docker.BunApiAsync();
        image.BuildLog.ShouldContain($"layer 3/3: {PublishLayers.App}");
        var engine = docker.Engine!;
        var repository = registry.NewRepository();
        var tag = new ImageTag(image.Version);
        await engine.Client.Images.TagImageAsync(image.LocalReference, new ImageTagParameters { RepositoryName = repository.Name, Tag = tag.Value });
        var recorded = new RecordedOutput();

        try
        {
            var pushed = await new ImagePusher(engine).PushAsync(repository, tag, null, ProgressMode.Plain, recorded.Output, CancellationToken.None);
            recorded.Text.ShouldContain("layers]");
            pushed.Digest.ShouldBe((await new RegistryClient(repository, null, recorded.Output).ResolveAsync(tag.Value, CancellationToken.None))!.Value);

            await engine.Client.Images.CreateImageAsync(
                new ImagesCreateParameters { FromImage = repository.Name, Tag = pushed.Digest }, null, new Progress<JSONMessage>());
            var (health, version) = await RunAndAskAsync(engine, pushed.PinnedReference);

            health.GetProperty("status").GetString().ShouldBe("degraded");
            health.GetProperty("database").GetProperty("state").GetString().ShouldBe("not-configured");
            version.GetProperty("version").GetString().ShouldBe(image.Version);
            version.GetProperty("sourceCommit").GetString().ShouldBe(image.SourceCommit);
        }
        finally
        {
            await TestImages.RemoveAsync(engine, repository.Reference(tag));
        }
    }

    /// <summary>Runs the container on the host network (the test engine has no bridge) and asks until it answers.</summary>
    private static async Task<(JsonElement Health, JsonElement Version)> RunAndAskAsync(DockerEngine engine, string reference)
    {
        var port = FreePort();
        var container = await engine.Client.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Image = reference,
            Env = [$"ASPNETCORE_HTTP_PORTS={port}"],
            HostConfig = new HostConfig { NetworkMode = "host" },
        });
        try
        {
            await engine.Client.Containers.StartContainerAsync(container.ID, new ContainerStartParameters());
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (true)
            {
                try
                {
                    using var response = await http.GetAsync("/healthz");
                    response.StatusCode.ShouldBe(HttpStatusCode.OK);
                    return (await response.Content.ReadFromJsonAsync<JsonElement>(), await http.GetFromJsonAsync<JsonElement>("/version"));
                }
                catch (HttpRequestException) when (DateTime.UtcNow < deadline)
                {
                    await Task.Delay(200);
                }
            }
        }
        finally
        {
            await engine.Client.Containers.RemoveContainerAsync(container.ID, new ContainerRemoveParameters { Force = true });
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
