using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Bun.Delivery.Model.Images;

/// <summary>
/// A branch name made safe for an image tag: lower-case <c>[a-z0-9-]</c>, accents folded, no leading, trailing or
/// doubled dashes, at most <see cref="MaxLength"/> characters. A name that had to be shortened, or that leaves nothing
/// usable, ends in a short hash of the full name so that two long branches still get different slugs.
/// </summary>
public static class Slug
{
    /// <summary>Leaves room for the longest tag around a slug, <c>feature-&lt;slug&gt;-&lt;sha7&gt;</c>, within 128 characters.</summary>
    public const int MaxLength = 100;

    private const int HashLength = 8;

    public static string From(string name)
    {
        var slug = Clean(name);
        if (slug.Length == 0)
            return "b" + Hash(name);
        if (slug.Length <= MaxLength)
            return slug;
        return slug[..(MaxLength - HashLength - 1)].TrimEnd('-') + "-" + Hash(name);
    }

    private static string Clean(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var character in name.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(character) == UnicodeCategory.NonSpacingMark)
                continue;
            var lower = char.ToLowerInvariant(character);
            var keep = lower is >= 'a' and <= 'z' or >= '0' and <= '9';
            if (keep)
                builder.Append(lower);
            else if (builder.Length > 0 && builder[^1] != '-')
                builder.Append('-');
        }

        return builder.ToString().TrimEnd('-');
    }

    private static string Hash(string name) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..HashLength];
}
