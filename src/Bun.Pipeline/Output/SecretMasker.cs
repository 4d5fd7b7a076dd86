using System.Text.Json.Nodes;

namespace Bun.Pipeline.Output;

/// <summary>
/// Replaces every registered secret value with <c>***</c>. Longest first, so a secret containing another is masked whole.
/// Masking comes before any escaping (markdown, JSON, workflow commands): an escaped secret no longer matches.
/// A secret shorter than <see cref="WholeTokensBelow"/> characters is masked only as a whole token (not next to a letter
/// or digit): a one-letter password masked everywhere would turn "Content" into "Conte***t" and print nothing useful.
/// </summary>
public sealed class SecretMasker
{
    public const string Mask = "***";
    public const int WholeTokensBelow = 4;
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
            text = secret.Length >= WholeTokensBelow ? text.Replace(secret, Mask, StringComparison.Ordinal) : ReplaceWholeTokens(text, secret);
        return text;
    }

    private static string ReplaceWholeTokens(string text, string secret)
    {
        var builder = new System.Text.StringBuilder();
        var start = 0;
        for (var at = text.IndexOf(secret, StringComparison.Ordinal); at >= 0; at = text.IndexOf(secret, at + 1, StringComparison.Ordinal))
        {
            var end = at + secret.Length;
            if (at < start || IsWordCharacter(text, at - 1) || IsWordCharacter(text, end))
                continue;
            builder.Append(text, start, at - start).Append(Mask);
            start = end;
        }

        return start == 0 ? text : builder.Append(text, start, text.Length - start).ToString();
    }

    private static bool IsWordCharacter(string text, int index) => index >= 0 && index < text.Length && char.IsLetterOrDigit(text[index]);

    /// <summary>A copy of a JSON document with every string masked, to be serialised (and so escaped) afterwards.</summary>
    public JsonNode? Apply(JsonNode? node) => node switch
    {
        JsonObject values => new JsonObject(values.Select(pair => KeyValuePair.Create(Apply(pair.Key), Apply(pair.Value)))),
        JsonArray items => new JsonArray(items.Select(Apply).ToArray()),
        JsonValue value when value.TryGetValue<string>(out var text) => JsonValue.Create(Apply(text)),
        _ => node?.DeepClone(),
    };
}
