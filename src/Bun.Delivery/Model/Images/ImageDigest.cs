using System.Text.RegularExpressions;

namespace Bun.Delivery.Model.Images;

/// <summary>A content digest, <c>sha256:&lt;64 hex&gt;</c>: what deploys pin, since a tag can move and a digest cannot.</summary>
public sealed partial record ImageDigest
{
    public ImageDigest(string value)
    {
        if (!Valid().IsMatch(value))
            throw new ArgumentException($"'{value}' is not a sha256 digest.", nameof(value));
        Value = value;
    }

    public string Value { get; }

    public string Short => Value["sha256:".Length..][..12];

    public override string ToString() => Value;

    [GeneratedRegex("^sha256:[0-9a-f]{64}$")]
    private static partial Regex Valid();
}
