namespace Bun.Delivery.Registry;

/// <summary>How hard to retry a transient registry failure: exponential backoff with jitter from <see cref="FirstDelay"/>.</summary>
public sealed record RetrySettings(int MaxRetries, TimeSpan FirstDelay)
{
    /// <summary>1 s, 2 s, 4 s, 8 s (each jittered): about 15 s before a clear error.</summary>
    public static RetrySettings Default { get; } = new(4, TimeSpan.FromSeconds(1));
}
