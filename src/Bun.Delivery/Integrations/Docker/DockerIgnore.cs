using System.Text;
using System.Text.RegularExpressions;

namespace Bun.Delivery.Integrations.Docker;

/// <summary>
/// The <c>.dockerignore</c> rules as the Docker CLI applies them: one pattern a line, <c>#</c> comments, <c>!</c> to
/// re-include, <c>*</c>, <c>?</c>, <c>[…]</c> and <c>**</c>; the last matching pattern wins, and a pattern that
/// matches a folder matches everything in it.
/// </summary>
public sealed class DockerIgnore
{
    private readonly IReadOnlyList<Rule> _rules;

    private DockerIgnore(IReadOnlyList<Rule> rules) => _rules = rules;

    public static DockerIgnore None { get; } = new([]);

    public bool HasReincludes => _rules.Any(rule => rule.Reincludes);

    public static DockerIgnore Parse(string text)
    {
        var rules = new List<Rule>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            var reincludes = line.StartsWith('!');
            var pattern = Normalize(reincludes ? line[1..].Trim() : line);
            if (pattern.Length > 0)
                rules.Add(new Rule(ToRegex(pattern), reincludes));
        }

        return new DockerIgnore(rules);
    }

    /// <summary>Whether a path relative to the context root, with '/' separators, stays out of the build context.</summary>
    public bool Excludes(string relativePath)
    {
        var excluded = false;
        foreach (var rule in _rules)
        {
            if (rule.Reincludes == excluded && rule.MatchesItselfOrParent(relativePath))
                excluded = !rule.Reincludes;
        }

        return excluded;
    }

    private static string Normalize(string pattern)
    {
        var parts = new List<string>();
        foreach (var part in pattern.Replace('\\', '/').Split('/'))
        {
            if (part is "" or ".")
                continue;
            if (part == ".." && parts.Count > 0)
                parts.RemoveAt(parts.Count - 1);
            else if (part != "..")
                parts.Add(part);
        }

        return string.Join('/', parts);
    }

    private static Regex ToRegex(string pattern)
    {
        var regex = new StringBuilder("^");
        for (var index = 0; index < pattern.Length; index++)
        {
            var character = pattern[index];
            switch (character)
            {
                case '*' when index + 1 < pattern.Length && pattern[index + 1] == '*':
                    index++;
                    // "**/" also matches no folder at all, as in "**/x" matching "x".
                    if (index + 1 < pattern.Length && pattern[index + 1] == '/')
                    {
                        index++;
                        regex.Append("(.*/)?");
                    }
                    else
                    {
                        regex.Append(".*");
                    }

                    break;
                case '*':
                    regex.Append("[^/]*");
                    break;
                case '?':
                    regex.Append("[^/]");
                    break;
                case '[':
                    var end = pattern.IndexOf(']', index + 1);
                    if (end < 0)
                    {
                        regex.Append(@"\[");
                        break;
                    }

                    var set = pattern[(index + 1)..end];
                    regex.Append('[').Append(set.StartsWith('!') || set.StartsWith('^') ? "^" + set[1..] : set).Append(']');
                    index = end;
                    break;
                default:
                    regex.Append(Regex.Escape(character.ToString()));
                    break;
            }
        }

        return new Regex(regex.Append('$').ToString(), RegexOptions.CultureInvariant);
    }

    private sealed record Rule(Regex Pattern, bool Reincludes)
    {
        public bool MatchesItselfOrParent(string path)
        {
            if (Pattern.IsMatch(path))
                return true;
            for (var slash = path.IndexOf('/'); slash > 0; slash = path.IndexOf('/', slash + 1))
            {
                if (Pattern.IsMatch(path[..slash]))
                    return true;
            }

            return false;
        }
    }
}
