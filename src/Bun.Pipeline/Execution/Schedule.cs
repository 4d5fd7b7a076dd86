using Bun.Pipeline.Planning;

namespace Bun.Pipeline.Execution;

/// <summary>
/// The executor's bookkeeping: how many predecessors each planned target still waits for, which are ready (taken in
/// plan order) and the results so far. Finishing a target touches only its successors, so a run stays linear.
/// </summary>
internal sealed class Schedule
{
    private readonly Plan _plan;
    private readonly Dictionary<string, int> _positions;
    private readonly int[] _waiting;
    private readonly List<int>[] _successors;
    private readonly TargetResult?[] _results;
    private readonly PriorityQueue<int, int> _ready = new();
    private bool _stopped;

    public Schedule(Plan plan)
    {
        _plan = plan;
        var count = plan.Targets.Count;
        _positions = plan.Targets.Select((target, index) => (target.Name, index)).ToDictionary(pair => pair.Name, pair => pair.index, StringComparer.OrdinalIgnoreCase);
        _waiting = plan.Targets.Select(target => target.WaitsFor.Count).ToArray();
        _successors = Enumerable.Range(0, count).Select(_ => new List<int>()).ToArray();
        _results = new TargetResult?[count];
        for (var index = 0; index < count; index++)
        {
            foreach (var predecessor in plan.Targets[index].WaitsFor)
                _successors[_positions[predecessor]].Add(index);
            if (_waiting[index] == 0)
                _ready.Enqueue(index, index);
        }
    }

    public IReadOnlyList<TargetResult> Results => _results.Select(result => result!).ToList();

    public TargetResult ResultOf(string name) => _results[_positions[name]]!;

    public bool TryTakeReady(out int index)
    {
        while (_ready.TryDequeue(out index, out _))
        {
            if (_results[index] is null)
                return true;
        }

        return false;
    }

    public void Complete(int index, TargetResult result)
    {
        _results[index] = result;
        foreach (var successor in _successors[index])
        {
            if (--_waiting[successor] == 0)
                _ready.Enqueue(successor, successor);
        }
    }

    /// <summary>After a failure or Ctrl-C nothing new starts except assured targets; the rest are NotRun at once.</summary>
    public void StopAllBut(IEnumerable<int> running, string reason)
    {
        if (_stopped)
            return;
        _stopped = true;
        var busy = running.ToHashSet();
        for (var index = 0; index < _results.Length; index++)
        {
            if (_results[index] is null && !busy.Contains(index) && !_plan.Targets[index].Spec.AssuredAfterFailure)
                Complete(index, new TargetResult(_plan.Targets[index].Name, TargetStatus.NotRun, reason, TimeSpan.Zero));
        }
    }
}
