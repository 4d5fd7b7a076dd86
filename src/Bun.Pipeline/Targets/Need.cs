namespace Bun.Pipeline.Targets;

public enum NeedState
{
    Ok,
    Missing,
    NotChecked,
}

/// <summary>
/// What a check of the outside world found. <see cref="Detail"/> is one line: for a missing need, what to do about it;
/// for one not checked, why not (e.g. "no --registry: the image stays local").
/// </summary>
public sealed record NeedStatus(NeedState State, string? Detail = null)
{
    public static NeedStatus Ok(string? detail = null) => new(NeedState.Ok, detail);
    public static NeedStatus Missing(string whatToDo) => new(NeedState.Missing, whatToDo);
    public static NeedStatus NotChecked(string why) => new(NeedState.NotChecked, why);
}

/// <summary>
/// Something a target needs from the outside world, e.g. "a Docker engine": checked for every planned target before
/// the first one starts. Needs with the same <see cref="Name"/> are checked once per run.
/// </summary>
public sealed record Need(string Name, Func<CancellationToken, Task<NeedStatus>> Check)
{
    /// <summary>A need whose check needs no I/O, e.g. a parameter in range.</summary>
    public static Need Of(string name, Func<NeedStatus> check) => new(name, _ => Task.FromResult(check()));
}
