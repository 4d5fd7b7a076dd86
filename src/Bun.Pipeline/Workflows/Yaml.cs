using System.Text;
using System.Text.RegularExpressions;

namespace Bun.Pipeline.Workflows;

public abstract record YamlNode
{
    public static YamlNode Of(string text) => new YamlScalar(text);
    public static YamlNode Of(bool value) => new YamlScalar(value ? "true" : "false", Verbatim: true);
    public static YamlNode Of(int value) => new YamlScalar(value.ToString(System.Globalization.CultureInfo.InvariantCulture), Verbatim: true);
    public static YamlNode Expression(string text) => new YamlScalar($"${{{{ {text} }}}}");
    public static YamlNode Null { get; } = new YamlScalar("", Verbatim: true);
}

/// <summary>A scalar; <see cref="Verbatim"/> writes it as is (booleans, numbers), otherwise it is quoted when YAML needs it.</summary>
public sealed record YamlScalar(string Text, bool Verbatim = false) : YamlNode;

/// <summary>A mapping whose keys keep their order, so the output never changes between runs.</summary>
public sealed record YamlMap(IReadOnlyList<KeyValuePair<string, YamlNode>> Entries) : YamlNode
{
    public YamlMap() : this([]) { }
}

public sealed record YamlSequence(IReadOnlyList<YamlNode> Items) : YamlNode;

/// <summary>
/// A small block-style YAML emitter: two-space indents, sequences of mappings as <c>- key: value</c>, and plain scalars
/// unless YAML would read them as something else, in which case they are single-quoted.
/// </summary>
public static partial class YamlWriter
{
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
        { "true", "false", "null", "yes", "no", "on", "off", "y", "n", "~" };

    public static string Write(YamlMap document, string? header = null)
    {
        var builder = new StringBuilder();
        if (header is not null)
        {
            foreach (var line in header.Split('\n'))
                builder.Append("# ").Append(line).Append('\n');
        }

        WriteMap(builder, document, 0, "");
        return builder.ToString();
    }

    public static string Scalar(YamlScalar scalar) => scalar.Verbatim || IsPlain(scalar.Text) ? scalar.Text : $"'{scalar.Text.Replace("'", "''")}'";

    private static void WriteMap(StringBuilder builder, YamlMap map, int indent, string firstPrefix)
    {
        var first = true;
        foreach (var (key, value) in map.Entries)
        {
            builder.Append(first ? firstPrefix : new string(' ', indent)).Append(Scalar(new YamlScalar(key))).Append(':');
            first = false;
            switch (value)
            {
                case YamlScalar { Text: "", Verbatim: true }:
                    builder.Append('\n');
                    break;
                case YamlScalar scalar:
                    builder.Append(' ').Append(Scalar(scalar)).Append('\n');
                    break;
                case YamlMap { Entries.Count: 0 }:
                    builder.Append(" {}\n");
                    break;
                case YamlSequence { Items.Count: 0 }:
                    builder.Append(" []\n");
                    break;
                case YamlMap nested:
                    builder.Append('\n');
                    WriteMap(builder, nested, indent + 2, new string(' ', indent + 2));
                    break;
                case YamlSequence sequence:
                    builder.Append('\n');
                    WriteSequence(builder, sequence, indent + 2);
                    break;
            }
        }
    }

    private static void WriteSequence(StringBuilder builder, YamlSequence sequence, int indent)
    {
        foreach (var item in sequence.Items)
        {
            var prefix = new string(' ', indent) + "- ";
            switch (item)
            {
                case YamlScalar scalar:
                    builder.Append(prefix).Append(Scalar(scalar)).Append('\n');
                    break;
                case YamlMap { Entries.Count: > 0 } map:
                    WriteMap(builder, map, indent + 2, prefix);
                    break;
                default:
                    throw new ArgumentException("Only scalars and non-empty mappings can be sequence items here.");
            }
        }
    }

    // A plain scalar YAML reads back as the same string: no indicator first, no ": " or " #", not a bool, null or number.
    private static bool IsPlain(string text) =>
        text.Length > 0 && PlainText().IsMatch(text) && !text.Contains(": ") && !text.Contains(" #") && !text.EndsWith(':')
        && !Reserved.Contains(text) && !LooksNumeric().IsMatch(text);

    [GeneratedRegex(@"^[A-Za-z0-9_$./(~][^\r\n\t]*(?<! )$")]
    private static partial Regex PlainText();

    [GeneratedRegex(@"^[-+]?(\.?[0-9]|0x|0o)")]
    private static partial Regex LooksNumeric();
}
