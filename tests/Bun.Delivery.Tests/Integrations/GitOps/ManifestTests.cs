using Bun.Delivery.Integrations.GitOps;
using CliWrap;
using CliWrap.Buffered;
using Xunit.Abstractions;

namespace Bun.Delivery.Tests.Integrations.GitOps;

/// <summary>deploy/ renders with the tool Argo CD uses, before and after a pin.</summary>
public sealed class ManifestTests(ITestOutputHelper log)
{
    [SkippableTheory]
    [InlineData("dev", 1)]
    [InlineData("test", 1)]
    [InlineData("stage", 2)]
    [InlineData("prod", 3)]
    public async Task Every_overlay_renders_with_kubectl_kustomize(string environment, int replicas)
    {
        RequireKubectl();
        var rendered = await KustomizeAsync(RepositoryRoot.PathOf("deploy", "overlays", environment));

        rendered.ShouldContain("kind: Deployment");
        rendered.ShouldContain("kind: Service");
        rendered.ShouldContain($"namespace: bun-{environment}");
        rendered.ShouldContain($"replicas: {replicas}");
        rendered.ShouldContain("readinessProbe:\n          failureThreshold: 3\n          httpGet:\n            path: /healthz");
        rendered.ShouldContain("livenessProbe:\n          failureThreshold: 3\n          httpGet:\n            path: /healthz");
        rendered.ShouldContain("containerPort: 8080");
    }

    [SkippableFact]
    public async Task A_pinned_overlay_renders_the_image_by_digest()
    {
        RequireKubectl();
        using var sandbox = await GitOpsSandbox.CreateAsync();
        var overlay = Path.Combine(sandbox.App, "deploy", "overlays", "stage", "kustomization.yaml");
        var image = GitOpsSandbox.Image(7, "127.0.0.1:5000/bun-api");
        await File.WriteAllTextAsync(overlay, KustomizationImages.Pin(await File.ReadAllTextAsync(overlay), "ghcr.io/bun/bun-api", image));

        var rendered = await KustomizeAsync(Path.GetDirectoryName(overlay)!);

        rendered.ShouldContain($"image: {image.Reference}\n");
    }

    private void RequireKubectl() => ServiceGate.Require(
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Any(folder => File.Exists(Path.Combine(folder, "kubectl")))
            ? null
            : "kubectl is not on PATH",
        "kubectl", "Install it with: apt-get install -y kubernetes-client (.ci/run does)", log);

    private static async Task<string> KustomizeAsync(string directory)
    {
        var result = await Cli.Wrap("kubectl").WithArguments(["kustomize", directory]).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
        result.ExitCode.ShouldBe(0, result.StandardError);
        return result.StandardOutput;
    }
}
