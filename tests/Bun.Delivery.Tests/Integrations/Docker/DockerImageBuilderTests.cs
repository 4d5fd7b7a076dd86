using Bun.Delivery.Integrations.Docker;
using Bun.Delivery.Model.Images;
using Bun.Delivery.Tests.Model.Images;
using Bun.Pipeline.Failures;
using Xunit.Abstractions;

namespace Bun.Delivery.Tests.Integrations.Docker;

[Collection(ContainerImagesCollection.Name)]
public sealed class DockerImageBuilderTests(DockerEngineFixture docker, ITestOutputHelper log) : IDisposable
{
    private readonly DirectoryInfo _context = Directory.CreateTempSubdirectory("bun-build-context-");

    [SkippableFact]
    public async Task Builds_with_build_arguments_oci_labels_and_every_tag_streaming_each_step()
    {
        docker.RequireBaseImage(log);
        Write("app.txt", "the app");
        Write("secret.txt", "must not reach the engine");
        Write("logs/today.log", "noise");
        Write(".dockerignore", "secret.txt\nlogs/\n");
        // The build itself proves the ignore rules: it fails if an ignored file reached the context.
        Write("Dockerfile", $"FROM {docker.BaseImage}\nARG GREETING\nCOPY . /ctx/\nRUN test -e /ctx/app.txt && test ! -e /ctx/secret.txt && test ! -e /ctx/logs && echo \"$GREETING\" > /greeting\n");
        var references = new[] { $"bun-build-test:{Unique()}", $"bun-build-test:{Unique()}" };
        var labels = ImageLabels.For("1a2b3c4d", "https://example.invalid/bun", new ImageTag("main-1a2b3c4"), DateTimeOffset.UtcNow);
        var recorded = new RecordedOutput();

        try
        {
            var image = await new DockerImageBuilder(docker.Engine!).BuildAsync(
                new ImageBuildRequest(_context.FullName, "Dockerfile", references, labels, new Dictionary<string, string> { ["GREETING"] = "hello" }),
                recorded.Output, CancellationToken.None);
            log.WriteLine(recorded.Text);

            var inspected = await docker.Engine!.Client.Images.InspectImageAsync(image.Id);
            inspected.RepoTags.ShouldBe(references, ignoreOrder: true);
            foreach (var (key, value) in labels)
                inspected.Config.Labels[key].ShouldBe(value);
            // The engine adds each label as a step of its own, after the Dockerfile's four.
            recorded.Text.ShouldContain($"Step 1/8 : FROM {docker.BaseImage}");
            recorded.Text.ShouldContain("Step 4/8 : RUN test -e /ctx/app.txt");
            recorded.Text.ShouldContain("Step 8/8 : LABEL org.opencontainers.image.version=main-1a2b3c4");
            recorded.Text.ShouldContain($"Built {image.Id}");
        }
        finally
        {
            await TestImages.RemoveAsync(docker.Engine!, references);
        }
    }

    [SkippableFact]
    public async Task A_failing_step_is_reported_with_the_step_and_its_message()
    {
        docker.RequireBaseImage(log);
        Write("Dockerfile", $"FROM {docker.BaseImage}\nRUN echo preparing the step && false\n");
        var recorded = new RecordedOutput();

        var failure = await Should.ThrowAsync<BuildFailure>(() => new DockerImageBuilder(docker.Engine!).BuildAsync(
            new ImageBuildRequest(_context.FullName, "Dockerfile", [$"bun-build-test:{Unique()}"], new Dictionary<string, string>(), new Dictionary<string, string>()),
            recorded.Output, CancellationToken.None));

        failure.Message.ShouldContain("failed at Step 2/2 : RUN echo preparing the step && false");
        failure.Message.ShouldContain("returned a non-zero code: 1");
        failure.Message.ShouldContain("preparing the step");
    }

    [SkippableFact]
    public async Task A_dockerfile_outside_the_context_is_sent_along_and_kept_out_of_copy()
    {
        docker.RequireBaseImage(log);
        Write("context/app.txt", "the app");
        Write("Dockerfile.dockerignore", "*.pdb\n");
        Write("context/app.pdb", "symbols");
        Write("Dockerfile", $"FROM {docker.BaseImage}\nCOPY . /ctx/\nRUN test -e /ctx/app.txt && test ! -e /ctx/app.pdb && test ! -e /ctx/{BuildContext.OutsideDockerfileName} && test ! -e /ctx/.dockerignore\n");
        var reference = $"bun-build-test:{Unique()}";

        try
        {
            await new DockerImageBuilder(docker.Engine!).BuildAsync(
                new ImageBuildRequest(Path.Combine(_context.FullName, "context"), Path.Combine(_context.FullName, "Dockerfile"), [reference],
                    new Dictionary<string, string>(), new Dictionary<string, string>()),
                new RecordedOutput().Output, CancellationToken.None);
        }
        finally
        {
            await TestImages.RemoveAsync(docker.Engine!, reference);
        }
    }

    public void Dispose() => _context.Delete(recursive: true);

    private void Write(string relativePath, string content)
    {
        var path = Path.Combine(_context.FullName, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    private static string Unique() => Guid.NewGuid().ToString("N")[..12];
}
