namespace Bun.Pipeline.Output;

/// <summary>Replaces every registered secret value with <c>***</c>. Longest first, so a secret containing another is masked whole.</summary>
public sealed class SecretMasker
{
    public const string Mask = "***";
    private readonly object _gate = new();
    private string[] _secrets = [];

    public IReadOnlyList<string> Secrets => _secrets;

    public void Add(string? secret)
    {
        if (string.IsNullOrWhiteSpace(secret))
            return;
        var parts = secret.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Prepend(secret);
        lock (_gate)
            _secrets = _secrets.Union(parts.Where(part => part.Length > 0)).OrderByDescending(part => part.Length).ToArray();
    }

    public string Apply(string text)
    {
        foreach (var secret in _secrets)
            text = text.Replace(secret, Mask, StringComparison.Ordinal);
        return text;
    }
}
