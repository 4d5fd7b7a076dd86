using System.Text.RegularExpressions;

namespace Bun.Delivery.Model.Images;

/// <summary>A tag as the OCI distribution spec allows it: <c>[A-Za-z0-9_][A-Za-z0-9._-]{0,127}</c>.</summary>
public sealed partial record ImageTag
{
    public const int MaxLength = 128;

    public ImageTag(string value)
    {
        if (!Valid().IsMatch(value))
            throw new ArgumentException($"'{value}' is not a valid image tag: [A-Za-z0-9_][A-Za-z0-9._-]{{0,127}}.", nameof(value));
        Value = value;
    }

    public string Value { get; }

    public override string ToString() => Value;

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$")]
    private static partial Regex Valid();
}
