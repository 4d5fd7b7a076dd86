namespace Bun.Pipeline.Workflows;

/// <summary>
/// A GitHub Actions workflow declared on the build class: when it runs (<see cref="On"/>) and which jobs run which
/// targets. <see cref="WorkflowGenerator"/> checks it against the build and writes <c>.github/workflows/&lt;Id&gt;.yml</c>.
/// </summary>
public sealed record Workflow(string Id, string Name)
{
    public IReadOnlyList<WorkflowTrigger> On { get; init; } = [];

    /// <summary>The workflow's token permissions; a job may narrow or widen them for itself.</summary>
    public Permissions Permissions { get; init; } = Permissions.ReadContents;

    public Concurrency? Concurrency { get; init; }
    public IReadOnlyList<WorkflowJob> Jobs { get; init; } = [];

    public string FileName => $"{Id}.yml";

    public IReadOnlyList<DispatchInput> Inputs => On.OfType<DispatchTrigger>().SelectMany(trigger => trigger.Inputs).ToList();
}

public abstract record WorkflowTrigger;

/// <summary><c>push</c> to branches matching GitHub's globs (<c>feature/**</c>).</summary>
public sealed record PushTrigger(IReadOnlyList<string> Branches) : WorkflowTrigger;

/// <summary><c>pull_request</c>; no <see cref="Types"/> means GitHub's default (opened, synchronize, reopened).</summary>
public sealed record PullRequestTrigger(IReadOnlyList<string> Types) : WorkflowTrigger
{
    public static PullRequestTrigger Default { get; } = new([]);
    public static PullRequestTrigger Closed { get; } = new(["closed"]);
}

/// <summary><c>workflow_dispatch</c>: a button in GitHub, with inputs that become the build's parameters.</summary>
public sealed record DispatchTrigger(IReadOnlyList<DispatchInput> Inputs) : WorkflowTrigger;

/// <summary>
/// One input of a dispatch. <see cref="Parameter"/> is the build member it sets (passed as the parameter's environment
/// variable, never spliced into a command line). With <see cref="Choices"/> it is a <c>choice</c>.
/// </summary>
public sealed record DispatchInput(string Name, string Description, string Parameter)
{
    public bool Required { get; init; }
    public IReadOnlyList<string>? Choices { get; init; }
    public string? Default { get; init; }
}

/// <summary><c>concurrency</c>: runs in one group never overlap; <see cref="CancelInProgress"/> cancels the older one.</summary>
public sealed record Concurrency(string Group, bool CancelInProgress);

/// <summary>A GitHub environment a job is bound to (reviewers, environment secrets and variables, a deployment record).</summary>
public sealed record GitHubEnvironment(string Name, string Url);

/// <summary>A job's output, taken from an output of one of its steps.</summary>
public sealed record JobOutput(string Name, string StepId, string StepOutput);

public sealed record WorkflowJob(string Id, string Name)
{
    public IReadOnlyList<string> Needs { get; init; } = [];
    public RunCondition? If { get; init; }
    public GitHubEnvironment? Environment { get; init; }

    /// <summary>Null: the workflow's permissions.</summary>
    public Permissions? Permissions { get; init; }

    public Concurrency? Concurrency { get; init; }
    public IReadOnlyList<JobOutput> Outputs { get; init; } = [];
    public IReadOnlyList<BuildStep> Steps { get; init; } = [];
    public string RunsOn { get; init; } = "ubuntu-latest";
}

/// <summary>
/// A step that runs <c>./build.sh &lt;Targets&gt;</c>. <see cref="Skip"/>: null passes no <c>--skip</c>; empty is a bare
/// <c>--skip</c> (only the invoked targets run). <see cref="Plan"/> only plans: in GitHub Actions the build then writes
/// the plan to the step summary and the running targets to the step output <c>targets</c> (a JSON array).
/// </summary>
public sealed record BuildStep(string Id, string Name, IReadOnlyList<string> Targets)
{
    public const string PlannedTargetsOutput = "targets";

    public IReadOnlyList<string>? Skip { get; init; }
    public bool Plan { get; init; }

    /// <summary>Literal arguments after the targets; values from expressions go through <see cref="Values"/>.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    public RunCondition? If { get; init; }

    /// <summary>What the step passes to <c>./build.sh</c>: targets, <c>--skip</c>, <c>--plan</c>, then the literal arguments.</summary>
    public IReadOnlyList<string> CommandLine =>
        [.. Targets, .. Skip is null ? [] : (IEnumerable<string>)["--skip", .. Skip], .. Plan ? ["--plan"] : (IEnumerable<string>)[], .. Arguments];

    /// <summary>
    /// Parameters set from expressions, as environment variables. A secret parameter of the step's targets is mapped from
    /// <c>secrets.&lt;its variable&gt;</c> without being listed; listing it chooses another source (<c>github.token</c>).
    /// </summary>
    public IReadOnlyList<ParameterValue> Values { get; init; } = [];
}

/// <summary>
/// A parameter (build member name) set from a GitHub expression, written without <c>${{ }}</c>; a null expression reads
/// the repository or environment variable of the parameter's own name (<c>vars.BUN_REGISTRY</c>).
/// </summary>
public sealed record ParameterValue(string Parameter, string? Expression = null)
{
    public static IReadOnlyList<ParameterValue> FromVariables(params string[] parameters) => parameters.Select(parameter => new ParameterValue(parameter)).ToList();
}
