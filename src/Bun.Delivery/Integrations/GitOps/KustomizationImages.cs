using System.Text.RegularExpressions;
using Bun.Pipeline.Failures;

namespace Bun.Delivery.Integrations.GitOps;

/// <summary>
/// Edits the <c>images:</c> entry of a kustomization.yaml as text, so that pinning a digest changes that entry's
/// lines and nothing else in the file: comments, order and formatting stay as people wrote them.
/// </summary>
public static partial class KustomizationImages
{
    /// <summary>
    /// Points the entry named <paramref name="imageName"/> at <c>repository@digest</c>: sets <c>digest</c>, sets
    /// <c>newName</c> only when the repository differs from the name, and drops <c>newTag</c>, which a digest replaces.
    /// </summary>
    public static string Pin(string yaml, string imageName, PinnedImage image)
    {
        var newline = yaml.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        var lines = yaml.Split(newline).ToList();
        var wanted = new List<(string Key, string? Value)>
        {
            ("newName", image.Repository == imageName ? null : image.Repository),
            ("newTag", null),
            ("digest", image.Digest.Value),
        };

        var block = FindBlock(lines);
        if (block is null)
        {
            var text = yaml.Length == 0 || yaml.EndsWith(newline, StringComparison.Ordinal) ? yaml : yaml + newline;
            return text + string.Join(newline, NewEntry(imageName, wanted, indent: "  ").Prepend("images:")) + newline;
        }

        var entry = FindEntries(lines, block.Value).FirstOrDefault(candidate => candidate.Name == imageName);
        if (entry is null)
        {
            var indent = FindEntries(lines, block.Value).FirstOrDefault()?.Indent ?? "  ";
            lines.InsertRange(LastContentLine(lines, block.Value) + 1, NewEntry(imageName, wanted, indent));
            return string.Join(newline, lines);
        }

        SetFields(lines, entry, wanted);
        return string.Join(newline, lines);
    }

    /// <summary>The digest the entry named <paramref name="imageName"/> pins, or null.</summary>
    public static string? PinnedDigest(string yaml, string imageName)
    {
        var lines = yaml.Split('\n').Select(line => line.TrimEnd('\r')).ToList();
        var block = FindBlock(lines);
        if (block is null)
            return null;
        var entry = FindEntries(lines, block.Value).FirstOrDefault(candidate => candidate.Name == imageName);
        return entry is null ? null : FieldLines(lines, entry).Select(index => Field(lines[index])).FirstOrDefault(field => field?.Key == "digest")?.Value;
    }

    private sealed record Entry(int Start, int End, string Indent, string FieldIndent, string? Name);

    // The lines that belong to the top-level images: key, as [first item line, last line).
    private static (int Start, int End)? FindBlock(List<string> lines)
    {
        var key = lines.FindIndex(line => ImagesKey().IsMatch(line));
        if (key < 0)
            return null;
        if (ImagesKey().Match(lines[key]).Groups["inline"].Success)
            throw BuildFailure.BadInput("The overlay's images: entry is written in flow style ([...]); write it as a block list so Bun can pin the digest in place.");
        var end = key + 1;
        while (end < lines.Count && (lines[end].Length == 0 || char.IsWhiteSpace(lines[end][0]) || lines[end].StartsWith('#') || lines[end].StartsWith("- ", StringComparison.Ordinal)))
            end++;
        return (key + 1, end);
    }

    private static IEnumerable<Entry> FindEntries(List<string> lines, (int Start, int End) block)
    {
        var starts = Enumerable.Range(block.Start, block.End - block.Start).Where(index => ItemStart().IsMatch(lines[index])).ToList();
        for (var i = 0; i < starts.Count; i++)
        {
            var start = starts[i];
            var match = ItemStart().Match(lines[start]);
            var indent = match.Groups["indent"].Value;
            var fieldIndent = new string(' ', match.Groups["indent"].Length + match.Groups["dash"].Length);
            var end = i + 1 < starts.Count ? starts[i + 1] : LastContentLine(lines, block) + 1;
            var entry = new Entry(start, end, indent, fieldIndent, null);
            var name = FieldLines(lines, entry).Select(index => Field(lines[index])).FirstOrDefault(field => field?.Key == "name")?.Value;
            yield return entry with { Name = name };
        }
    }

    private static void SetFields(List<string> lines, Entry entry, List<(string Key, string? Value)> wanted)
    {
        var end = entry.End;
        foreach (var (key, value) in wanted)
        {
            var existing = FieldLines(lines, entry with { End = end }).FirstOrDefault(index => Field(lines[index])?.Key == key, -1);
            if (existing >= 0 && value is null)
            {
                // A field on the item's dash line hands the dash to the next field.
                var removed = existing == entry.Start ? FieldLines(lines, entry with { End = end }).Skip(1).First() : existing;
                if (removed != existing)
                    lines[existing] = FieldPattern().Match(lines[existing]).Groups["prefix"].Value + lines[removed].TrimStart();
                lines.RemoveAt(removed);
                end--;
            }
            else if (existing >= 0)
                lines[existing] = ReplaceValue(lines[existing], key, value!);
            else if (value is not null)
            {
                var after = FieldLines(lines, entry with { End = end }).Last();
                lines.Insert(after + 1, $"{entry.FieldIndent}{key}: {value}");
                end++;
            }
        }
    }

    // The item line itself plus the following lines indented deeper than its dash; comments and blank lines are skipped.
    private static IEnumerable<int> FieldLines(List<string> lines, Entry entry) =>
        Enumerable.Range(entry.Start, entry.End - entry.Start).Where(index => Field(lines[index]) is not null);

    private static (string Key, string Value)? Field(string line)
    {
        var match = FieldPattern().Match(line);
        return match.Success ? (match.Groups["key"].Value, Unquote(match.Groups["value"].Value.Trim())) : null;
    }

    private static string ReplaceValue(string line, string key, string value)
    {
        var match = FieldPattern().Match(line);
        return $"{match.Groups["prefix"].Value}{key}: {value}";
    }

    private static IEnumerable<string> NewEntry(string imageName, List<(string Key, string? Value)> fields, string indent)
    {
        var fieldIndent = indent + "  ";
        yield return $"{indent}- name: {imageName}";
        foreach (var (key, value) in fields.Where(field => field.Value is not null))
            yield return $"{fieldIndent}{key}: {value}";
    }

    private static int LastContentLine(List<string> lines, (int Start, int End) block)
    {
        var last = block.End - 1;
        while (last >= block.Start && (lines[last].Trim().Length == 0 || lines[last].TrimStart().StartsWith('#')))
            last--;
        return last;
    }

    private static string Unquote(string value)
    {
        var withoutComment = value.Length > 0 && value[0] is '"' or '\'' ? value : value.Split(" #")[0].Trim();
        return withoutComment.Length >= 2 && withoutComment[0] is '"' or '\'' && withoutComment[^1] == withoutComment[0]
            ? withoutComment[1..^1]
            : withoutComment;
    }

    [GeneratedRegex(@"^images:\s*(?<inline>\[.*)?(#.*)?$")]
    private static partial Regex ImagesKey();

    [GeneratedRegex(@"^(?<indent>\s*)(?<dash>-\s+)")]
    private static partial Regex ItemStart();

    [GeneratedRegex(@"^(?<prefix>\s*(-\s+)?)(?<key>[A-Za-z]+):\s*(?<value>.*)$")]
    private static partial Regex FieldPattern();
}
