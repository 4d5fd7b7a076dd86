using Bun.Delivery.Orchestration.Deployments;
using Bun.Delivery.Model.Rules;
using Bun.Delivery.Orchestration.Workflows;
using Bun.Pipeline.Targets;
using Bun.Pipeline.Workflows;
using static Bun.Delivery.Orchestration.Workflows.DeliveryWorkflows;

namespace Bun.Build;

/// <summary>
/// This repository's GitHub Actions workflows, IDE run profiles and parameters schema, all generated from this class by
/// GenerateWorkflows (README: Workflows). The workflows say when to run; the plan of Ci says what runs: a plan step
/// publishes the targets Ci runs for the event and branch, and each later job runs only when its target is among them.
/// </summary>
public sealed partial class Build
{
    private const string BuildJob = "build";

    public Target GenerateWorkflows => _ => _
        .Description("Writes .github/workflows/*.yml, build/Properties/launchSettings.json and .nuke/build.schema.json from the build class.")
        .Group("workflows")
        .Executes(() =>
        {
            var changed = GeneratedFiles.Write(RootDirectory, Generated());
            Log.Info(changed.Count == 0 ? "Generated files are up to date." : $"Wrote {string.Join(", ", changed)}.");
        });

    /// <summary>Every generated file with its content; the stale check compares the committed copies with these.</summary>
    public IReadOnlyList<GeneratedFile> Generated() => GeneratedFiles.For(this, DeclaredWorkflows, LaunchProfiles);

    /// <summary>The deploy target of each environment a push deploys to automatically, each in its own job.</summary>
    public IReadOnlyList<(DeliveryEnvironment Environment, string Target)> AutomaticDeployments =>
    [
        (Environments.Dev, nameof(DeployDev)),
        (Environments.Test, nameof(DeployTest)),
        (Environments.Stage, nameof(DeployStage)),
    ];

    public IReadOnlyList<Workflow> DeclaredWorkflows =>
    [
        new("ci", "CI")
        {
            On = [new PushTrigger(PushedBranches), PullRequestTrigger.Default],
            // A pull request's newer run cancels the older one; a push (its run id is its own group) never cancels anything.
            Concurrency = new("ci-${{ github.event.pull_request.number || github.run_id }}", CancelInProgress: true),
            Jobs = [BuildAndPush(), .. AutomaticDeployments.Select(pair => DeployJob(pair.Environment, pair.Target))],
        },
        new("cleanup", "After a merge: clean up the branch's images, carry a fix to main")
        {
            On = [PullRequestTrigger.Closed],
            Jobs =
            [
                new("back-merge-fix", "Carry a fix merged into a release branch to main")
                {
                    If = RunCondition.Expression("github.event.pull_request.merged == true"),
                    Permissions = Permissions.ReadContents.With("pull-requests", Access.Write),
                    Steps =
                    [
                        PlanStep(),
                        new("back-merge", "BackMergeFix (when the rules plan it: a fix/** merged into release/*)", [nameof(BackMergeFix)])
                        {
                            Skip = [],
                            If = RunCondition.Planned(PlanSource.Step("plan"), nameof(BackMergeFix)),
                            Values = [GitHubToken],
                        },
                    ],
                },
                new("cleanup-feature-images", "Delete the merged branch's image tags")
                {
                    If = RunCondition.Expression("github.event.pull_request.merged == true"),
                    Permissions = Permissions.ReadContents.With("packages", Access.Write),
                    Steps =
                    [
                        PlanStep(),
                        new("cleanup", "CleanupFeatureImages (when the rules plan it for this branch)", [nameof(CleanupFeatureImages)])
                        {
                            Skip = [],
                            If = RunCondition.Planned(PlanSource.Step("plan"), nameof(CleanupFeatureImages)),
                            Values = [.. ParameterValue.FromVariables(nameof(Registry)), .. GitHubRegistryLogin],
                        },
                    ],
                },
            ],
        },
        new("promote-prod", "Promote to prod")
        {
            On = [new DispatchTrigger([])],
            Jobs =
            [
                new("promote-prod", "Promote the release stage verified to prod")
                {
                    Environment = GitHubEnvironment(Environments.Prod),
                    Concurrency = DeployConcurrency(Environments.Prod),
                    // The registry retags the stage digest; the gate reads checks and reviews; the deployment, the tag and the release are recorded (DESIGN §9).
                    // The tag and the release write contents; the gate reads checks, statuses and pull requests.
                    Permissions = Permissions.ReadContents.With("contents", Access.Write).With("packages", Access.Write).With("deployments", Access.Write)
                        .With("checks", Access.Read).With("statuses", Access.Read).With("pull-requests", Access.Read),
                    Steps =
                    [
                        new("promote", "PromoteProd (release/x.y.z only)", [nameof(PromoteProd)])
                        {
                            Values = [.. DeploymentLocations, .. GitHubRegistryLogin, .. GitHubRecording],
                        },
                    ],
                },
            ],
        },
        new("rollback", "Rollback")
        {
            On =
            [
                new DispatchTrigger(
                [
                    EnvironmentInput("environment", "The environment to roll back.", nameof(Environment), EnvironmentTable),
                    new("version", "The version to go back to; empty: the newest earlier one verified healthy.", nameof(ToVersion)),
                    ChoiceOf("via", "git: a new GitOps commit, then sync and verify; rollouts: abort the Rollout through Argo CD first (traffic back on the stable version at once), then as git; argocd: Argo CD's own rollback, for when git can't be written.",
                        nameof(Via), RollbackVia.Git),
                ]),
            ],
            Jobs =
            [
                new("rollback", "Roll back ${{ inputs.environment }}")
                {
                    Environment = GitHubEnvironment("${{ inputs.environment }}"),
                    Concurrency = DeployConcurrency("${{ inputs.environment }}"),
                    Permissions = Permissions.ReadContents.With("deployments", Access.Write),
                    Steps = [new("rollback", "Rollback --environment (the dispatch's inputs)", [nameof(Rollback)]) { Values = [.. DeploymentLocations, .. GitHubRecording] }],
                },
            ],
        },
    ];

    /// <summary>One click in the IDE for every target (generated), plus these common parameter sets.</summary>
    public IReadOnlyList<LaunchProfile> LaunchProfiles =>
    [
        new("Ci --plan (pull request)", "Ci --plan --event pull_request --base main"),
        new("Ci --plan", "Ci --plan"),
        new("Rollback --environment stage", "Rollback --environment stage"),
        new("History --environment stage", "History --environment stage"),
        new("Test --parallel", "Test --parallel"),
    ];

    // Builds once: the image is pushed here and reaches the deploy jobs by digest, as the output "image".
    private WorkflowJob BuildAndPush() => new(BuildJob, "Compile, test and build the image (pushed where the rules say)")
    {
        Permissions = Permissions.ReadContents.With("packages", Access.Write),
        Outputs =
        [
            new(BuildStep.PlannedTargetsOutput, "plan", BuildStep.PlannedTargetsOutput),
            new(Bun.Delivery.Model.Images.PushedImage.StepOutput, "ci", Bun.Delivery.Model.Images.PushedImage.StepOutput),
        ],
        Steps =
        [
            PlanStep(),
            // BackMergeFix is never planned here: it runs from the cleanup workflow, which has the token it needs.
            new("ci", "Ci without its deployments (they run in their own jobs)", [nameof(Ci)])
            {
                Skip = [.. AutomaticDeployments.Select(pair => pair.Target), nameof(BackMergeFix)],
                Values = [.. ParameterValue.FromVariables(nameof(Registry)), .. GitHubRegistryLogin],
            },
        ],
    };

    private static WorkflowJob DeployJob(DeliveryEnvironment environment, string target) => new($"deploy-{environment.Name}", $"Deploy to {environment.Name}")
    {
        Needs = [BuildJob],
        If = RunCondition.Planned(PlanSource.Job(BuildJob), target),
        Environment = GitHubEnvironment(environment),
        Concurrency = DeployConcurrency(environment),
        // Each deploy is recorded as a GitHub deployment, on the one GitHub made for the job's environment.
        Permissions = Permissions.ReadContents.With("deployments", Access.Write),
        Steps =
        [
            new("deploy", $"{target} (the image the build job pushed, by digest; never rebuilt)", [target])
            {
                Skip = [],
                Values = [new(nameof(Image), $"needs.{BuildJob}.outputs.{Bun.Delivery.Model.Images.PushedImage.StepOutput}"), .. DeploymentLocations, .. GitHubRecording],
            },
        ],
    };

    // The decisions a job follows: Ci's plan for this event and branch, in the step summary and as the output "targets".
    private static BuildStep PlanStep() => new("plan", "Plan: what the delivery rules run for this event and branch", [nameof(Ci)]) { Plan = true };

    // ghcr.io takes the workflow's own token; the repository variable BUN_REGISTRY names the registry (ghcr.io/<owner>).
    private static IReadOnlyList<ParameterValue> GitHubRegistryLogin =>
        [new(nameof(RegistryUsername), "github.actor"), new(nameof(RegistryPassword), "github.token")];

    // Where deployments go and what watches them, from repository or environment variables (each GitHub environment may
    // set its own BUN_PROMETHEUS_URL, say); the tokens come from secrets of the same names.
    private static IReadOnlyList<ParameterValue> DeploymentLocations =>
        ParameterValue.FromVariables(nameof(GitOpsRepo), nameof(ArgoCdServer), nameof(ArgoCdUsername), nameof(PrometheusUrl), nameof(HealthUrl), nameof(MaxErrorRatio));
}
