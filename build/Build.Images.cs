using Bun.Delivery.Model.Branches;
using Bun.Delivery.Model.Context;
using Bun.Delivery.Model.Images;
using Bun.Delivery.Model.Rules;
using Bun.Delivery.Orchestration.Images;
using Bun.Pipeline.Parameters;
using Bun.Pipeline.Targets;

namespace Bun.Build;

/// <summary>The service's image (docs/images.md): built from tested code, pushed for branches that deploy, cleaned up after a merge.</summary>
public sealed partial class Build
{
    [Parameter("The registry images go to: host[:port][/namespace], e.g. ghcr.io/bun or 127.0.0.1:5000. Required by PushImage in GitHub Actions and by CleanupFeatureImages.")]
    public string? Registry { get; set; }

    [Parameter("The image DockerImage builds on (default mcr.microsoft.com/dotnet/aspnet:10.0, or bun/base:bookworm where that can't be pulled), and the one BaseImage makes.",
        Name = "base-image")]
    public string? BaseImageReference { get; set; }

    [Parameter("The registry login's user name (PushImage, PromoteProd, CleanupFeatureImages).")]
    public string? RegistryUsername { get; set; }

    [Parameter("The registry login's password or token (PushImage, PromoteProd, CleanupFeatureImages); for ghcr.io a GitHub token, which cleanup also uses for GitHub's packages API."), Secret]
    public string? RegistryPassword { get; set; }

    [Parameter("GitHub's REST API root for every GitHub call (ghcr.io cleanup, deployment records, the gate, releases, repository rules): default https://api.github.com; read from GITHUB_API_URL, which GitHub Actions sets, e.g. https://github.example.com/api/v3.",
        EnvironmentAliases = ["GITHUB_API_URL"])]
    public string? GithubApiUrl { get; set; }

    private ImageTargets Images => new(Context, Services,
        new ServiceImage("bun-api", RootDirectory / "src" / "Bun.Api" / "Bun.Api.csproj", Entrypoint: "Bun.Api"),
        new ImageSettings(Registry, BaseImageChoice.Reference, RegistryUsername, RegistryPassword, GithubApiUrl));

    // Decided before the plan when DockerImage may run (PrepareAsync), so that --plan shows whether BaseImage runs;
    // targets that build no image take the configured base as it is.
    private BaseImageChoice BaseImageChoice => _baseImageChoice ?? new BaseImageChoice(BaseImageReference ?? ServiceImage.DefaultBaseImage, MustBeMade: false);
    private BaseImageChoice? _baseImageChoice;

    /// <summary>The configured base image is neither in the engine nor pullable: BaseImage makes it first.</summary>
    private bool BaseImageCannotBePulled => BaseImageChoice.MustBeMade;

    public Target BaseImage => _ => _
        .Group("images")
        .Description($"Makes the local base image (--base-image, default {BaseImageMaker.DefaultReference}): Debian {BaseImageMaker.Suite} minbase with the .NET runtime libraries, " +
                     "by debootstrap from apt's mirror, cached; for machines that can't pull the default base.")
        .Uses(() => BaseImageReference)
        .Executes(cancellation => new BaseImageMaker(Services).MakeAsync(BaseImageReference ?? BaseImageMaker.DefaultReference, cancellation));

    public Target DockerImage => _ => _
        .Description("Builds the application image from tested code; a pull request's image stays local.")
        .Group("images")
        .DependsOn(Test)
        .DependsOn(BaseImage).When("the base image is missing and cannot be pulled", () => BaseImageCannotBePulled)
        .Needs(() => Images.BuildNeeds(baseImageMadeFirst: BaseImageCannotBePulled))
        // A pull request's image is tagged pr-<number>-<sha7>: GitHub's payload has the number, a laptop passes --pr-number.
        .Requires(() => PrNumber != null || Context.PullRequestNumber != null || Context.Event != DeliveryEvent.PullRequest)
        .Executes(async cancellation => await Images.BuildAsync(cancellation));

    public Target PushImage => _ => _
        .Description($"Pushes the image of {BranchKinds.Describe(CiRules.ImageBranches)} to the registry; never for a pull request.")
        .Group("images")
        .DependsOn(DockerImage)
        .Needs(() => Images.PushNeeds)
        .Guard(() => Guards.PushImage(nameof(PushImage), Context))
        // Without a registry a laptop keeps the image local (a notice); GitHub Actions must push.
        .Requires(() => Registry != null || !HostEnvironment.IsGitHubActions)
        .Uses(() => RegistryUsername).Uses(() => RegistryPassword)
        .Executes(async cancellation => await Images.PushAsync(cancellation));

    public Target CleanupFeatureImages => _ => _
        .Description("Deletes a merged feature/* or fix/* branch's image tags from the registry (on ghcr.io, its package versions); --dry-run lists them.")
        .Group("images")
        .Guard(() => Guards.CleanupFeatureImages(nameof(CleanupFeatureImages), Context))
        .Requires(() => Registry)
        .Needs(() => [Images.RegistryAnswers])
        .Uses(() => RegistryUsername).Uses(() => RegistryPassword).Uses(() => GithubApiUrl)
        .Executes(async cancellation => await Images.CleanupAsync(DryRun, cancellation));
}
