using Bun.Delivery.Model.Images;
using Bun.Pipeline.Failures;
using Bun.Pipeline.Output;

namespace Bun.Delivery.Integrations.Docker;

/// <summary>Where PushImage pushes, or, with no registry configured on a laptop, a visible notice that it keeps the image local.</summary>
public static class PushTarget
{
    /// <returns>The repository to push to, or null when the image stays in the local engine.</returns>
    public static ImageRepository? Resolve(string? registry, string app, bool isGitHubActions, ImageTag tag, BuildOutput output)
    {
        if (!string.IsNullOrWhiteSpace(registry))
            return ImageRepository.Parse(registry, app);
        if (isGitHubActions)
            throw BuildFailure.BadInput(
                "PushImage needs a registry in GitHub Actions and none is configured. Set --registry or the BUN_REGISTRY variable, e.g. ghcr.io/<owner>.");
        output.Notice($"No registry is configured (--registry / BUN_REGISTRY), so {app}:{tag} stays in the local engine and nothing is pushed.");
        return null;
    }

    /// <summary>The references DockerImage tags: always <c>&lt;app&gt;:&lt;tag&gt;</c> for local use, plus the registry's when there is one.</summary>
    public static IReadOnlyList<string> References(string? registry, string app, ImageTag tag) => string.IsNullOrWhiteSpace(registry)
        ? [$"{app}:{tag}"]
        : [$"{app}:{tag}", ImageRepository.Parse(registry, app).Reference(tag)];
}
