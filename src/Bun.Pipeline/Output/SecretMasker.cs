using System.Text.Json.Nodes;

namespace Bun.Pipeline.Output;

/// <summary>
/// Replaces every registered secret value with <c>***</c>. Longest first, so a secret containing another is masked whole.
/// Masking comes before any escaping (markdown, JSON, workflow commands): an escaped secret no longer matches.
/// </summary>
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

    /// <summary>A copy of a JSON document with every string masked, to be serialised (and so escaped) afterwards.</summary>
    public JsonNode? Apply(JsonNode? node) => node switch
    {
        JsonObject values => new JsonObject(values.Select(pair => KeyValuePair.Create(Apply(pair.Key), Apply(pair.Value)))),
        JsonArray items => new JsonArray(items.Select(Apply).ToArray()),
        JsonValue value when value.TryGetValue<string>(out var text) => JsonValue.Create(Apply(text)),
        _ => node?.DeepClone(),
    };
}
