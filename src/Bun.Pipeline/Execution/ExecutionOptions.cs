namespace Bun.Pipeline.Execution;

/// <summary>How many targets may run at once; 1 runs the plan strictly in order.</summary>
internal sealed record ExecutionOptions(int MaxParallel = 1)
{
    public bool Parallel => MaxParallel > 1;
}
