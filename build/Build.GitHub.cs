using Bun.Delivery.Model.Rules;
using Bun.Delivery.Orchestration.Deployments;
using Bun.Delivery.Orchestration.Fixes;
using Bun.Delivery.Orchestration.Repository;
using Bun.Delivery.Orchestration.GitHub;
using Bun.Pipeline.Parameters;
using Bun.Pipeline.Targets;
using Bun.Pipeline.Workflows;

namespace Bun.Build;

/// <summary>GitHub as the system of record (docs/github.md): deployment records, the production gate, releases, repository rules, fix back-merges.</summary>
public sealed partial class Build
{
    [Parameter("A GitHub token for deployment records, the production gate, releases, ConfigureRepository and BackMergeFix; GitHub Actions provides GITHUB_TOKEN (README: the permissions each target needs).",
        EnvironmentAliases = ["GITHUB_TOKEN"]), Secret]
    public string? GithubToken { get; set; }

    [Parameter("The GitHub repository as owner/name (default GITHUB_REPOSITORY in GitHub Actions, the origin remote on a laptop).",
        EnvironmentAliases = ["GITHUB_REPOSITORY"])]
    public string? GithubRepository { get; set; }

    [Parameter("A deployment's environment_url on GitHub, with {environment} for its name, e.g. https://{environment}.bun.example (default none).")]
    public string? EnvironmentUrl { get; set; }

    // What reaching GitHub reads; a workflow step sets the token from github.token (GitHubToken below).
    private ITargetDefinition OnGitHub(ITargetDefinition target) => target
        .Uses(() => GithubToken).Uses(() => GithubRepository).Uses(() => GithubApiUrl);

    // The workflow's own token, for the targets that reach GitHub: Actions does not put it in the environment by itself.
    private static ParameterValue GitHubToken => new(nameof(GithubToken), "github.token");

    // A deploy job's recording: the token, and the environment's address (the variable APP_URL its GitHub environment shows too).
    private static IReadOnlyList<ParameterValue> GitHubRecording => [GitHubToken, new(nameof(EnvironmentUrl), "vars.APP_URL")];

    [Parameter("PromoteProd's gate: the checks it requires on the release HEAD when the release branch's rules name none, e.g. Ci.")]
    public string[]? RequiredChecks { get; set; }

    [Parameter("PromoteProd's gate: the approving reviews each pull request into the release branch needs when its rules ask for none.")]
    public int RequiredApprovals { get; set; } = 1;

    [Parameter("ConfigureRepository: the GitHub logins of prod's required reviewers.")]
    public string[]? ProdReviewers { get; set; }

    [Parameter("ConfigureRepository: whether a pull request into main needs an approving review (required) or only should have one (recommended).")]
    public MainReview MainReview { get; set; } = MainReview.Recommended;

    public Target ConfigureRepository => _ => OnGitHub(_)
        .Group("github")
        .Description("Applies the repository rules as code: rulesets for main and release/*, the deployed environments, prod's reviewers and release/* branch policy; --dry-run prints the difference.")
        .Uses(() => RequiredChecks).Uses(() => MainReview).Uses(() => ProdReviewers)
        .Executes(async cancellation => await RepositoryConfiguration.ApplyAsync(GitHub,
            new RepositoryRules(RequiredChecks ?? [CiCheck], MainReview, ProdReviewers ?? []), EnvironmentTable.Deployed, DryRun, Log, cancellation));

    public Target BackMergeFix => _ => OnGitHub(_)
        .Group("github")
        .Description("After a fix/** pull request is merged into a release branch: opens the pull request that carries it to main, or adds it to the open one.")
        .Executes(cancellation => FixBackMerge.RunAsync(GitHub, Context, Log, cancellation));

    // The check GitHub reports for CI: the name of the workflow's build job, which runs Ci.
    private string CiCheck => BuildAndPush().Name;

    private GitHubProductionGate ProductionGate => new(GitHub, new GateFallback(RequiredChecks ?? [], RequiredApprovals), Log);

    private GitHubReleasePublisher Releases => new(GitHub, Log);

    private GitHubAccess GitHub => new(GithubToken, GithubApiUrl, GithubRepository, HostEnvironment, Processes, RootDirectory);

    private GitHubDeploymentRecorder DeploymentRecorder => new(GitHub, Log, environment => EnvironmentUrl?.Replace("{environment}", environment.Name));
}
