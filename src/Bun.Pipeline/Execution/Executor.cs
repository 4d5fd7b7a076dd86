using System.Diagnostics;
using Bun.Pipeline.Output;
using Bun.Pipeline.Planning;

namespace Bun.Pipeline.Execution;

/// <summary>
/// Runs a plan. A target starts once everything it waits for has finished; up to MaxParallel run at once.
/// After a failure (or Ctrl-C) nothing new starts except AssuredAfterFailure targets. Results are written here only.
/// </summary>
public sealed class Executor(BuildOutput output, ExecutionOptions options)
{
    public async Task<BuildReport> RunAsync(Plan plan, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        var results = new Dictionary<string, TargetResult>(StringComparer.OrdinalIgnoreCase);
        var running = new Dictionary<Task<TargetResult>, PlannedTarget>();
        string? stopReason = null;

        while (true)
        {
            if (stopReason is null && cancellation.IsCancellationRequested)
                stopReason = "the build was cancelled";

            foreach (var target in plan.Targets)
            {
                if (results.ContainsKey(target.Name) || running.ContainsValue(target))
                    continue;
                if (stopReason is not null && !target.Spec.AssuredAfterFailure)
                {
                    results[target.Name] = new TargetResult(target.Name, TargetStatus.NotRun, stopReason, TimeSpan.Zero);
                    continue;
                }

                if (!target.WaitsFor.All(results.ContainsKey))
                    continue;
                if (Settled(target, results) is { } settled)
                {
                    results[target.Name] = settled;
                    continue;
                }

                if (running.Count >= options.MaxParallel)
                    break;
                running[RunAsync(target, stopReason is null ? cancellation : CancellationToken.None)] = target;
            }

            if (running.Count == 0)
                break;

            var finished = await Task.WhenAny(running.Keys);
            var done = running[finished];
            running.Remove(finished);
            var result = await finished;
            results[done.Name] = result;
            if (cancellation.IsCancellationRequested)
                stopReason ??= "the build was cancelled";
            else if (result.Status == TargetStatus.Failed && !done.Spec.ProceedAfterFailure)
                stopReason ??= $"the build stopped after {done.Name} failed";
        }

        return new BuildReport(plan.Targets.Select(target => results[target.Name]).ToList(), clock.Elapsed, cancellation.IsCancellationRequested);
    }

    // A target whose outcome is known without running it: skipped in the plan, or blocked by a failed dependency.
    private static TargetResult? Settled(PlannedTarget target, Dictionary<string, TargetResult> results)
    {
        if (target.Decision == Decision.Skip)
            return new TargetResult(target.Name, TargetStatus.Skipped, target.Reason, TimeSpan.Zero);
        if (target.Spec.AssuredAfterFailure)
            return null;
        var blocked = target.DependsOn.FirstOrDefault(dependency => results[dependency].Status is TargetStatus.Failed or TargetStatus.NotRun);
        return blocked is null
            ? null
            : new TargetResult(target.Name, TargetStatus.NotRun, $"dependency {blocked} did not succeed", TimeSpan.Zero);
    }

    private async Task<TargetResult> RunAsync(PlannedTarget target, CancellationToken cancellation)
    {
        await Task.Yield();
        var clock = Stopwatch.StartNew();
        using var section = output.BeginTarget(target.Name, options.Parallel);
        var unmet = target.Spec.DynamicConditions.FirstOrDefault(condition => !condition.Evaluate());
        if (unmet is not null)
        {
            output.Dim($"Skipped: condition is false: {unmet.Text}");
            return new TargetResult(target.Name, TargetStatus.Skipped, $"condition is false: {unmet.Text}", clock.Elapsed);
        }

        try
        {
            if (target.Spec.Body is { } body)
                await body(cancellation);
            return new TargetResult(target.Name, TargetStatus.Succeeded, null, clock.Elapsed);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            output.Error($"{target.Name} was cancelled.", target.Name);
            return new TargetResult(target.Name, TargetStatus.Failed, "cancelled", clock.Elapsed);
        }
        catch (Exception exception)
        {
            var message = FirstLine(exception.Message);
            output.Error(exception.Message, target.Name);
            return new TargetResult(target.Name, TargetStatus.Failed, message, clock.Elapsed);
        }
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}
