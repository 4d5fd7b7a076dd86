using Bun.Pipeline.Failures;
using Bun.Pipeline.Parameters;
using Bun.Pipeline.Planning;
using Bun.Pipeline.Targets;

namespace Bun.Pipeline.Prerequisites;

/// <summary>
/// Checks what the running targets of a plan need before the first one starts: their <c>Requires</c> and, in parallel,
/// their <c>Needs</c>, each within a timeout, so a build that cannot get through says so in its first seconds.
/// A need shared by several targets is checked once; the needs of skipped targets are not checked.
/// </summary>
public static class PrerequisiteCheck
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    public static async Task<PrerequisiteReport> CheckAsync(Plan plan, IReadOnlyList<ParameterDescriptor> parameters, TimeSpan timeout, CancellationToken cancellation)
    {
        var running = plan.Running.ToList();
        var needs = running.SelectMany(target => target.Spec.Needs).DistinctBy(need => need.Name).ToList();
        var statuses = await Task.WhenAll(needs.Select(need => CheckOneAsync(need, timeout, cancellation)));
        var byName = needs.Select(need => need.Name).Zip(statuses).ToDictionary(pair => pair.First, pair => pair.Second);

        var unmetRequirements = running
            .SelectMany(target => target.Spec.Requirements.Where(requirement => !requirement.IsMet()).Select(requirement => Describe(target.Name, requirement, parameters)));
        var missingNeeds = needs
            .Where(need => byName[need.Name].State == NeedState.Missing)
            .Select(need => $"{string.Join(", ", running.Where(target => target.Spec.Needs.Any(other => other.Name == need.Name)).Select(target => target.Name))} "
                            + $"needs {need.Name}: {byName[need.Name].Detail?.TrimEnd('.')}");
        return new PrerequisiteReport(byName, unmetRequirements.Concat(missingNeeds).Distinct().ToList());
    }

    private static async Task<NeedStatus> CheckOneAsync(Need need, TimeSpan timeout, CancellationToken cancellation)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        deadline.CancelAfter(timeout);
        try
        {
            return await Task.Run(() => need.Check(deadline.Token), deadline.Token).WaitAsync(timeout, cancellation);
        }
        catch (Exception exception) when (exception is TimeoutException or OperationCanceledException && !cancellation.IsCancellationRequested)
        {
            return NeedStatus.Missing($"no answer within {timeout.TotalSeconds:0.#} s");
        }
        catch (BuildFailure failure)
        {
            return NeedStatus.Missing(failure.Message);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return NeedStatus.Missing($"the check itself failed: {exception.Message}");
        }
    }

    private static string Describe(string target, Requirement requirement, IReadOnlyList<ParameterDescriptor> parameters) =>
        parameters.FirstOrDefault(parameter => parameter.MemberName == requirement.Member) is { } parameter
            ? $"{target} needs --{parameter.Name} (or {parameter.EnvironmentName})"
            : $"{target} needs {requirement.Text}";
}

/// <summary>What <see cref="PrerequisiteCheck"/> found: each checked need by name, and one line per unmet requirement or missing need.</summary>
public sealed record PrerequisiteReport(IReadOnlyDictionary<string, NeedStatus> Needs, IReadOnlyList<string> Problems)
{
    public static readonly NeedStatus Skipped = NeedStatus.NotChecked("the target is skipped");

    /// <summary>The state of a need of a planned target: what its check found, or not checked when the target is skipped.</summary>
    public NeedStatus StatusOf(PlannedTarget target, Need need) =>
        target.Decision == Decision.Run && Needs.TryGetValue(need.Name, out var status) ? status : Skipped;

    /// <summary>Throws the problems as one line of bad input (exit 2).</summary>
    public void ThrowIfUnmet()
    {
        if (Problems.Count > 0)
            throw BuildFailure.BadInput(string.Join("; ", Problems) + ".");
    }
}
