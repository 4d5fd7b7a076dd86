namespace Bun.Pipeline.Planning;

/// <summary>"Did you mean" suggestions for mistyped target and parameter names, and for synonyms (production → prod).</summary>
public static class ClosestMatches
{
    public static string Suggest(string given, IEnumerable<string> known, string prefix = "", IReadOnlyDictionary<string, string>? synonyms = null)
    {
        var meant = synonyms?.FirstOrDefault(pair => string.Equals(pair.Key, given, StringComparison.OrdinalIgnoreCase)).Value;
        var matches = (meant is null ? Find(given, known) : [meant]).Select(name => prefix + name).ToList();
        return matches.Count == 0 ? "" : $" Did you mean {string.Join(" or ", matches)}?";
    }

    public static IReadOnlyList<string> Find(string given, IEnumerable<string> known)
    {
        var limit = Math.Max(2, given.Length / 3);
        return known
            .Select(name => (name, distance: Distance(given.ToLowerInvariant(), name.ToLowerInvariant())))
            .Where(pair => pair.distance <= limit || pair.name.StartsWith(given, StringComparison.OrdinalIgnoreCase))
            .OrderBy(pair => pair.distance)
            .ThenBy(pair => pair.name, StringComparer.Ordinal)
            .Take(3)
            .Select(pair => pair.name)
            .ToList();
    }

    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            previous = current;
        }

        return previous[b.Length];
    }
}
