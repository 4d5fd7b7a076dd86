using Bun.Pipeline.Failures;
using Bun.Pipeline.Parameters;
using Bun.Pipeline.Planning;
using Bun.Pipeline.Targets;

namespace Bun.Pipeline.Workflows;

/// <summary>A file the build generates, by its path relative to the repository root (always with '/').</summary>
public sealed record GeneratedFile(string Path, string Content);

/// <summary>
/// Checks workflow declarations against the build (targets, parameters, jobs, needs, secrets) and writes each as YAML.
/// Every mistake is a bad-input error naming the declaration, so broken YAML is never written.
/// </summary>
public static class WorkflowGenerator
{
    public const string Folder = ".github/workflows";

    public static IReadOnlyList<GeneratedFile> Generate(IReadOnlyList<Workflow> workflows, IReadOnlyList<TargetSpec> targets, IReadOnlyList<ParameterDescriptor> parameters)
    {
        var duplicate = workflows.GroupBy(workflow => workflow.Id).FirstOrDefault(group => group.Count() > 1);
        if (duplicate is not null)
            throw BuildFailure.BadInput($"Two workflows have the id '{duplicate.Key}'; give each its own id (it is the file name).");
        var build = new BuildModel(targets, parameters);
        return workflows.Select(workflow => new GeneratedFile($"{Folder}/{workflow.FileName}", WorkflowWriter.Write(Resolve(workflow, build)))).ToList();
    }

    /// <summary>The targets a step may run in some context: its invoked targets and whatever their edges can pull in, minus the skipped ones.</summary>
    public static IReadOnlyList<string> TargetsRunBy(BuildStep step, IReadOnlyList<TargetSpec> targets)
    {
        if (step.Plan)
            return [];
        if (step.Skip is { Count: 0 })
            return step.Targets;
        var pulls = targets.ToDictionary(target => target.Name, target => target.Edges
            .Where(edge => edge.Kind is EdgeKind.DependsOn or EdgeKind.Triggers).Select(edge => edge.Target).ToList());
        foreach (var target in targets)
        foreach (var edge in target.Edges.Where(edge => edge.Kind is EdgeKind.DependentFor or EdgeKind.TriggeredBy))
            pulls[edge.Target].Add(target.Name);

        var skipped = (step.Skip ?? []).ToHashSet();
        var reached = new List<string>();
        var pending = new Stack<string>(step.Targets.Reverse());
        while (pending.TryPop(out var name))
        {
            if (skipped.Contains(name) || reached.Contains(name))
                continue;
            reached.Add(name);
            foreach (var next in Enumerable.Reverse(pulls[name]))
                pending.Push(next);
        }

        return targets.Select(target => target.Name).Where(reached.Contains).ToList();
    }

    private sealed record BuildModel(IReadOnlyList<TargetSpec> Targets, IReadOnlyList<ParameterDescriptor> Parameters)
    {
        public TargetSpec? Target(string name) => Targets.FirstOrDefault(target => target.Name == name);
        public ParameterDescriptor? Parameter(string member) => Parameters.FirstOrDefault(parameter => parameter.MemberName == member);
    }

    private static ResolvedWorkflow Resolve(Workflow workflow, BuildModel build)
    {
        var where = $"Workflow '{workflow.Id}'";
        if (workflow.On.Count == 0)
            throw BuildFailure.BadInput($"{where} has no trigger; add one (push, pull_request or workflow_dispatch).");
        if (workflow.Jobs.Count == 0)
            throw BuildFailure.BadInput($"{where} has no job; add one that runs a target.");
        CheckPermissions(where, workflow.Permissions);
        var inputs = workflow.Inputs.Select(input => ResolveInput(where, input, build)).ToList();

        var jobIds = workflow.Jobs.GroupBy(job => job.Id).FirstOrDefault(group => group.Count() > 1);
        if (jobIds is not null)
            throw BuildFailure.BadInput($"{where} has two jobs with the id '{jobIds.Key}'; give each job its own id.");
        foreach (var job in workflow.Jobs)
        foreach (var need in job.Needs.Where(need => workflow.Jobs.All(other => other.Id != need)))
            throw BuildFailure.BadInput(
                $"{where}, job '{job.Id}' needs '{need}', which is not a job of the workflow.{ClosestMatches.Suggest(need, workflow.Jobs.Select(other => other.Id))}");
        CheckCycles(where, workflow.Jobs);

        var jobs = workflow.Jobs.Select(job => ResolveJob($"{where}, job '{job.Id}'", job, workflow, inputs, build)).ToList();
        return new ResolvedWorkflow(workflow, jobs);
    }

    private static (DispatchInput Input, string Variable) ResolveInput(string where, DispatchInput input, BuildModel build)
    {
        var parameter = build.Parameter(input.Parameter)
                        ?? throw BuildFailure.BadInput(
                            $"{where}: dispatch input '{input.Name}' sets parameter '{input.Parameter}', which the build does not declare." +
                            ClosestMatches.Suggest(input.Parameter, build.Parameters.Select(candidate => candidate.MemberName)));
        if (string.IsNullOrWhiteSpace(input.Description))
            throw BuildFailure.BadInput($"{where}: dispatch input '{input.Name}' has no description; give it one (GitHub shows it on the button's form).");
        if (input.Choices is { } choices && (choices.Count == 0 || (input.Default is { } chosen && !choices.Contains(chosen))))
            throw BuildFailure.BadInput($"{where}: dispatch input '{input.Name}' offers [{string.Join(", ", choices)}], which must be non-empty and include its default '{input.Default}'.");
        if (parameter.IsSecret)
            throw BuildFailure.BadInput($"{where}: dispatch input '{input.Name}' sets the secret parameter '{input.Parameter}'; inputs are shown in the run's log, so map secrets from secrets instead.");
        return (input, WorkflowVariables.For(parameter));
    }

    private static ResolvedJob ResolveJob(string where, WorkflowJob job, Workflow workflow, IReadOnlyList<(DispatchInput Input, string Variable)> inputs, BuildModel build)
    {
        if (job.Steps.Count == 0)
            throw BuildFailure.BadInput($"{where} has no step; add a BuildStep.");
        if (job.Permissions is { } permissions)
            CheckPermissions(where, permissions);
        var stepIds = job.Steps.GroupBy(step => step.Id).FirstOrDefault(group => group.Count() > 1);
        if (stepIds is not null)
            throw BuildFailure.BadInput($"{where} has two steps with the id '{stepIds.Key}'; give each step its own id.");
        CheckCondition(where, job.If, job, workflow, build, stepIndex: -1);
        foreach (var output in job.Outputs.Where(output => job.Steps.All(step => step.Id != output.StepId)))
            throw BuildFailure.BadInput($"{where}: output '{output.Name}' reads step '{output.StepId}', which is not a step of the job.");

        var steps = job.Steps.Select((step, index) =>
        {
            var stepWhere = $"{where}, step '{step.Id}'";
            CheckCondition(stepWhere, step.If, job, workflow, build, index);
            return new ResolvedStep(step, Command(stepWhere, step, build), Environment(stepWhere, step, inputs, build));
        }).ToList();
        return new ResolvedJob(job, steps);
    }

    private static string Command(string where, BuildStep step, BuildModel build)
    {
        if (step.Targets.Count == 0)
            throw BuildFailure.BadInput($"{where} names no target; give it the targets ./build.sh runs.");
        foreach (var name in step.Targets.Concat(step.Skip ?? []).Where(name => build.Target(name) is null))
            throw BuildFailure.BadInput($"{where} names the unknown target '{name}'.{ClosestMatches.Suggest(name, build.Targets.Select(target => target.Name))}");
        if (step.Arguments.FirstOrDefault(argument => argument.Contains("${{", StringComparison.Ordinal)) is { } expression)
            throw BuildFailure.BadInput($"{where} has the expression '{expression}' in its arguments; set a parameter from it with Values, so it never reaches the shell as code.");

        return string.Join(" ", ["./build.sh", .. step.CommandLine]);
    }

    private static IReadOnlyList<(string Variable, string Expression)> Environment(string where, BuildStep step,
        IReadOnlyList<(DispatchInput Input, string Variable)> inputs, BuildModel build)
    {
        var runs = TargetsRunBy(step, build.Targets);
        var secrets = runs.SelectMany(name => build.Target(name)!.Uses)
            .Select(build.Parameter).OfType<ParameterDescriptor>().Where(parameter => parameter.IsSecret).Distinct().ToList();

        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (input, variable) in inputs)
            variables[variable] = $"inputs.{input.Name}";
        foreach (var secret in secrets)
            variables[WorkflowVariables.For(secret)] = $"secrets.{WorkflowVariables.For(secret)}";
        foreach (var value in step.Values)
        {
            var parameter = build.Parameter(value.Parameter)
                            ?? throw BuildFailure.BadInput($"{where} sets '{value.Parameter}', which is not a parameter of the build." +
                                                           ClosestMatches.Suggest(value.Parameter, build.Parameters.Select(candidate => candidate.MemberName)));
            if (parameter.IsSecret && !secrets.Contains(parameter))
                throw BuildFailure.BadInput(
                    $"{where} maps the secret '{value.Parameter}', but the targets it runs ({string.Join(", ", runs)}) do not declare it; " +
                    "declare it on the target that reads it (Requires or Uses), or drop it from the step.");
            variables[WorkflowVariables.For(parameter)] = value.Expression ?? $"vars.{WorkflowVariables.For(parameter)}";
        }

        return variables.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => (pair.Key, pair.Value)).ToList();
    }

    private static void CheckCondition(string where, RunCondition? condition, WorkflowJob job, Workflow workflow, BuildModel build, int stepIndex)
    {
        if (condition is not PlannedCondition planned)
            return;
        if (build.Target(planned.Target) is null)
            throw BuildFailure.BadInput(
                $"{where} runs if the plan includes '{planned.Target}', which is not a target.{ClosestMatches.Suggest(planned.Target, build.Targets.Select(target => target.Name))}");
        if (planned.Source.StepId is { } stepId)
        {
            var source = job.Steps.Select((step, index) => (step, index)).FirstOrDefault(pair => pair.step.Id == stepId);
            if (source.step is not { Plan: true } || (stepIndex >= 0 && source.index >= stepIndex) || stepIndex < 0)
                throw BuildFailure.BadInput($"{where} reads the plan of step '{stepId}', which must be an earlier plan step of the same job.");
        }
        else if (planned.Source.JobId is { } jobId)
        {
            var source = workflow.Jobs.FirstOrDefault(other => other.Id == jobId);
            if (!job.Needs.Contains(jobId) || source is null || source.Outputs.All(output => output.Name != planned.Source.JobOutput))
                throw BuildFailure.BadInput($"{where} reads output '{planned.Source.JobOutput}' of job '{jobId}'; the job must need '{jobId}', and '{jobId}' must declare that output.");
        }
    }

    private static void CheckPermissions(string where, Permissions permissions)
    {
        foreach (var (scope, _) in permissions.Scopes.Where(entry => !Permissions.KnownScopes.Contains(entry.Scope)))
            throw BuildFailure.BadInput($"{where} sets the unknown permission '{scope}'; known: {string.Join(", ", Permissions.KnownScopes)}.");
    }

    private static void CheckCycles(string where, IReadOnlyList<WorkflowJob> jobs)
    {
        var byId = jobs.ToDictionary(job => job.Id);
        var done = new HashSet<string>();
        var path = new List<string>();

        void Visit(string id)
        {
            if (done.Contains(id))
                return;
            if (path.Contains(id))
                throw BuildFailure.BadInput($"{where}: the jobs' needs form a cycle: {string.Join(" → ", path.SkipWhile(other => other != id).Append(id))}; remove one of these needs.");
            path.Add(id);
            foreach (var need in byId[id].Needs)
                Visit(need);
            path.RemoveAt(path.Count - 1);
            done.Add(id);
        }

        foreach (var job in jobs)
            Visit(job.Id);
    }
}

internal sealed record ResolvedWorkflow(Workflow Workflow, IReadOnlyList<ResolvedJob> Jobs);

internal sealed record ResolvedJob(WorkflowJob Job, IReadOnlyList<ResolvedStep> Steps);

internal sealed record ResolvedStep(BuildStep Step, string Command, IReadOnlyList<(string Variable, string Expression)> Environment);
