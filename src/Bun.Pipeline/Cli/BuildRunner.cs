using System.Reflection;
using System.Runtime.InteropServices;
using Bun.Pipeline.Execution;
using Bun.Pipeline.Failures;
using Bun.Pipeline.Output;
using Bun.Pipeline.Parameters;
using Bun.Pipeline.Planning;
using Bun.Pipeline.Prerequisites;
using Bun.Pipeline.Processes;
using Bun.Pipeline.Targets;

namespace Bun.Pipeline.Cli;

/// <summary>The entry point: parse, resolve parameters, plan, then help, print the plan, or execute. The only place that turns failures into exit codes.</summary>
public static class BuildRunner
{
    public static async Task<int> RunAsync<TBuild>(string[] arguments, Func<TBuild, Target> defaultTarget)
        where TBuild : Build, new()
    {
        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, press) =>
        {
            press.Cancel = true;
            cancellation.Cancel();
        };
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
        {
            signal.Cancel = true;
            cancellation.Cancel();
        });
        var build = new TBuild();
        return await RunAsync(build, arguments, defaultTarget(build), BuildEnvironment.FromProcess(), cancellation.Token);
    }

    public static async Task<int> RunAsync(Build build, IReadOnlyList<string> arguments, Target defaultTarget, BuildEnvironment environment, CancellationToken cancellation)
    {
        var masker = new SecretMasker();
        var errorOutput = new BuildOutput(environment.Error, OutputStyle.Detect(environment.Variables, environment.IsTerminal), masker);
        try
        {
            // Before anything can quote an argument: a URL's password is a secret wherever it was given.
            foreach (var password in arguments.SelectMany(UrlCredentials.In))
                errorOutput.RegisterSecret(password);
            var commandLine = CommandLine.Parse(arguments, environment.Cores);
            if (commandLine.Options.Version)
            {
                await environment.Out.WriteLineAsync($"Bun.Pipeline {EngineVersion}");
                return ExitCodes.Succeeded;
            }

            // --json keeps stdout for one JSON document: the plan with --plan, otherwise a target's result (Build.WriteJson).
            var jsonOnStdout = commandLine.Options.Json;
            var output = new BuildOutput(jsonOnStdout ? environment.Error : environment.Out, OutputStyle.Detect(environment.Variables, environment.IsTerminal), masker, commandLine.Options.Verbosity);
            var root = commandLine.Options.Root is { } givenRoot ? GivenRoot(givenRoot, environment.WorkingDirectory) : FindRoot(environment.WorkingDirectory);
            var processes = new ProcessRunner(output);
            build.Attach(new BuildServices(output, processes, root, environment, jsonOnStdout));

            var descriptors = ParameterDescriptor.Discover(build.GetType());
            var parameters = ParameterResolver.Resolve(descriptors, build, commandLine.Parameters, environment.Variables,
                ParameterFile.Load(root, commandLine.Options.Profiles), root, output.RegisterSecret);
            processes.Withhold(ParameterResolver.SecretVariables(descriptors, environment.Variables));

            await build.InitializeAsync(cancellation);
            var targets = TargetDiscovery.Discover(build);
            var specs = targets.Specs;
            var defaultName = targets.NameOf(defaultTarget);
            if (commandLine.Options.Help)
            {
                HelpWriter.Write(output, specs, defaultName, parameters, build.ValuesOf, build.GroupOrder);
                return ExitCodes.Succeeded;
            }

            var resumed = commandLine.Options.Continue ? ContinueState.For(root, arguments).Succeeded() : [];
            var invoked = commandLine.Targets.Count > 0 ? commandLine.Targets : [defaultName];
            var graph = TargetGraph.Build(specs);
            await build.PrepareAsync(graph.ReachableFrom(invoked), cancellation);
            var plan = Planner.Create(graph, new PlanRequest(invoked, commandLine.Options.Skip, commandLine.Options.Skip is { Count: 0 })
            {
                Succeeded = resumed,
                Synonyms = build.TargetSynonyms,
            });
            CheckGuards(plan);
            var prerequisites = await PrerequisiteCheck.CheckAsync(plan, descriptors, PrerequisiteCheck.DefaultTimeout, cancellation);

            if (commandLine.Options.Plan)
            {
                if (commandLine.Options.Json)
                    await environment.Out.WriteLineAsync(PlanWriter.Json(plan, prerequisites, await build.DescribeContextAsync(cancellation), masker));
                else
                    PlanWriter.WriteText(output, plan, prerequisites);
                PlanSummary.WriteForGitHub(plan, environment, masker);
                return ExitCodes.Succeeded;
            }

            prerequisites.ThrowIfUnmet();
            SchemaWriter.Update(root, specs, descriptors);
            var report = await new Executor(output, new ExecutionOptions(commandLine.Options.MaxParallel)).RunAsync(plan, cancellation);
            // Keyed by a hash of the arguments: computed only now, so that no run pays for the hashing before its targets start.
            ContinueState.For(root, arguments).Record(report, resumed);
            SummaryWriter.Write(output, report, plan, environment);
            return report.Cancelled ? ExitCodes.Cancelled : report.Succeeded ? ExitCodes.Succeeded : ExitCodes.Failed;
        }
        catch (BuildFailure failure)
        {
            errorOutput.Error($"error: {failure.Message}");
            return failure.ExitCode;
        }
        catch (Exception unexpected) when (unexpected is not OperationCanceledException || !cancellation.IsCancellationRequested)
        {
            errorOutput.Error($"error: the build itself failed: {unexpected}");
            return ExitCodes.Failed;
        }
        catch (OperationCanceledException)
        {
            errorOutput.Error("error: the build was cancelled before it started its targets.");
            return ExitCodes.Cancelled;
        }
    }

    private static string EngineVersion =>
        typeof(BuildRunner).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(BuildRunner).Assembly.GetName().Version?.ToString() ?? "unknown";

    private static AbsolutePath GivenRoot(string root, string workingDirectory)
    {
        var path = AbsolutePath.From(root, workingDirectory);
        return Directory.Exists(path / ".nuke")
            ? path
            : throw BuildFailure.BadInput($"--root {root}: {path} has no .nuke folder; give the repository's root (the folder that holds .nuke).");
    }

    private static AbsolutePath FindRoot(string workingDirectory)
    {
        foreach (var start in new[] { workingDirectory, AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (Directory.Exists(Path.Combine(directory.FullName, ".nuke")))
                    return AbsolutePath.From(directory.FullName);
            }
        }

        throw BuildFailure.BadInput($"No .nuke folder above {workingDirectory}; run the build from inside the repository.");
    }

    // Invoked targets first: their rule is the one the person asked about, not a dependency's.
    private static void CheckGuards(Plan plan)
    {
        var violation = plan.Running.OrderByDescending(target => target.Invoked).SelectMany(target => target.Spec.Guards).Select(guard => guard.Violation()).FirstOrDefault(message => message is not null);
        if (violation is not null)
            throw new BuildFailure(violation);
    }
}
