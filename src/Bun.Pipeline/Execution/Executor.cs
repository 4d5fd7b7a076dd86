using System.Diagnostics;
using Bun.Pipeline.Failures;
using Bun.Pipeline.Output;
using Bun.Pipeline.Planning;

namespace Bun.Pipeline.Execution;

/// <summary>
/// Runs a plan. A target starts once everything it waits for has finished; up to MaxParallel run at once.
/// After a failure (or Ctrl-C) nothing new starts except AssuredAfterFailure targets. Results are written here only.
/// </summary>
internal sealed class Executor(BuildOutput output, ExecutionOptions options)
{
    public async Task<BuildReport> RunAsync(Plan plan, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        var schedule = new Schedule(plan);
        var running = new Dictionary<Task<TargetResult>, int>();
        string? stopReason = null;

        while (true)
        {
            if (stopReason is null && cancellation.IsCancellationRequested)
                stopReason = "the build was cancelled";
            if (stopReason is not null)
                schedule.StopAllBut(running.Values, stopReason);

            while (running.Count < options.MaxParallel && schedule.TryTakeReady(out var index))
            {
                var target = plan.Targets[index];
                if (Settled(target, schedule) is { } settled)
                    schedule.Complete(index, settled);
                else
                    running[RunAsync(target, stopReason is null ? cancellation : CancellationToken.None)] = index;
            }

            if (running.Count == 0)
                break;

            var finished = await Task.WhenAny(running.Keys);
            var done = running[finished];
            running.Remove(finished);
            var result = await finished;
            schedule.Complete(done, result);
            if (result.Status == TargetStatus.Failed && !plan.Targets[done].Spec.ProceedAfterFailure)
                stopReason ??= cancellation.IsCancellationRequested ? "the build was cancelled" : $"the build stopped after {result.Name} failed";
        }

        return new BuildReport(schedule.Results, clock.Elapsed, cancellation.IsCancellationRequested);
    }

    // A target whose outcome is known without running it: skipped in the plan, or blocked by a failed dependency.
    private static TargetResult? Settled(PlannedTarget target, Schedule schedule)
    {
        if (target.Decision == Decision.Skip)
            return new TargetResult(target.Name, TargetStatus.Skipped, target.Reason, TimeSpan.Zero);
        if (target.Spec.AssuredAfterFailure)
            return null;
        var blocked = target.DependsOn.FirstOrDefault(dependency => schedule.ResultOf(dependency).Status is TargetStatus.Failed or TargetStatus.NotRun);
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
            output.Error(exception.Message, target.Name);
            // A BuildFailure is a refusal meant for a person; anything else is a crash in target code, and its trace is the lead.
            if (exception is not BuildFailure)
                output.Write($"{target.Name} crashed: {exception}", Tone.Error);
            return new TargetResult(target.Name, TargetStatus.Failed, FirstLine(exception.Message), clock.Elapsed);
        }
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}
