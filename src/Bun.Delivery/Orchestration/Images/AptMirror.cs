using System.Text.RegularExpressions;

namespace Bun.Delivery.Orchestration.Images;

/// <summary>
/// The Debian archive apt already uses, so that debootstrap reaches what this machine can reach: the first URI of the
/// deb822 sources (<c>/etc/apt/sources.list.d/*.sources</c>), else of the one-line sources (<c>sources.list</c>, <c>*.list</c>),
/// leaving out the security archive, which has no full suite; deb.debian.org when apt names none.
/// </summary>
public static partial class AptMirror
{
    public const string Fallback = "http://deb.debian.org/debian";

    public static string Find(string etcApt = "/etc/apt")
    {
        var parts = Path.Combine(etcApt, "sources.list.d");
        var deb822 = Directory.Exists(parts) ? Directory.GetFiles(parts, "*.sources").Order(StringComparer.Ordinal).Select(File.ReadAllText) : [];
        var oneLine = new[] { Path.Combine(etcApt, "sources.list") }
            .Concat(Directory.Exists(parts) ? Directory.GetFiles(parts, "*.list").Order(StringComparer.Ordinal) : [])
            .Where(File.Exists)
            .Select(File.ReadAllText);
        return From(deb822, oneLine);
    }

    public static string From(IEnumerable<string> deb822Files, IEnumerable<string> oneLineFiles) =>
        deb822Files.SelectMany(text => Deb822Uri().Matches(text)).Select(match => match.Groups["uri"].Value)
            .Concat(oneLineFiles.SelectMany(text => OneLineUri().Matches(text)).Select(match => match.Groups["uri"].Value))
            .FirstOrDefault(uri => !uri.Contains("security", StringComparison.Ordinal))
        ?? Fallback;

    [GeneratedRegex(@"^\s*URIs:\s*(?<uri>\S+)", RegexOptions.Multiline)]
    private static partial Regex Deb822Uri();

    // "deb [options] uri suite components"
    [GeneratedRegex(@"^\s*deb\s+(?:\[[^\]]*\]\s+)?(?<uri>\S+)", RegexOptions.Multiline)]
    private static partial Regex OneLineUri();
}
