using System.Text.RegularExpressions;

namespace Bun.Delivery.Tests.Architecture;

/// <summary>A reference from a source file to a namespace or type of Bun.Delivery: a using line or a qualified name.</summary>
public sealed record Import(string File, int Line, string Target);

/// <summary>
/// The layers of src/Bun.Delivery (docs/architecture.md), read from the source: the model imports no integration and no
/// orchestration; an integration imports the model and the engine, never another integration or the orchestration;
/// nothing but the build base class at the root imports the root; build/ goes through the orchestration, never straight
/// to an integration; and no two parts import each other, even through others. A part is a folder of a layer
/// (<c>Model/Rules</c>, <c>Integrations/Docker</c>, <c>Orchestration/Deployments</c>), and its namespace follows its folder.
/// </summary>
public static partial class Layering
{
    public const string Root = "Bun.Delivery";
    private static readonly string[] Layers = ["Model", "Integrations", "Orchestration"];

    /// <summary>The part a namespace or type belongs to: <c>Integrations.Docker</c>, <c>Model</c> for the model's root, or "" for Bun.Delivery itself.</summary>
    public static string PartOf(string name)
    {
        var segments = name.Split('.');
        if (segments.Length < 3 || segments[0] != "Bun" || segments[1] != "Delivery" || !Layers.Contains(segments[2]))
            return "";
        return segments.Length > 3 ? $"{segments[2]}.{segments[3]}" : segments[2];
    }

    /// <summary>The imports of one file: its using lines, and the Bun.Delivery names it spells out.</summary>
    /// <param name="siblings">The parts of the file's own layer that its code may name without the layer: <c>Registry.RegistryClient</c>.</param>
    public static IReadOnlyList<Import> ImportsOf(string file, string source, IReadOnlySet<string> rootTypes, IReadOnlySet<string> siblings)
    {
        var imports = new List<Import>();
        var lines = source.Split('\n');
        var own = NamespaceOf(source) ?? "";
        for (var index = 0; index < lines.Length; index++)
        {
            var line = lines[index];
            if (NamespaceLine().IsMatch(line))
                continue;
            var code = LineComment().Replace(line, "");
            foreach (Match match in Qualified().Matches(line))
                imports.Add(new Import(file, index + 1, match.Groups["name"].Value));
            foreach (Match match in LayerQualified().Matches(code))
                imports.Add(new Import(file, index + 1, $"{Root}.{match.Groups["name"].Value}"));
            var layer = PartOf(own).Split('.')[0];
            foreach (Match match in SiblingQualified().Matches(code))
            {
                if (siblings.Contains(match.Groups["part"].Value) && layer != "")
                    imports.Add(new Import(file, index + 1, $"{Root}.{layer}.{match.Groups["part"].Value}"));
            }

            if (own != Root)
            {
                foreach (var type in rootTypes.Where(type => Regex.IsMatch(code, $@"(?<![\w.]){type}\b")))
                    imports.Add(new Import(file, index + 1, $"{Root}.{type}"));
            }
        }

        return imports;
    }

    /// <summary>What breaks the layers, one line each, naming the file, the line and the import.</summary>
    /// <param name="files">Each source file of src/Bun.Delivery by its path under it ("Model/Rules/Guards.cs"), with its text.</param>
    /// <param name="buildFiles">Each file of build/ by its path in the repository, with its text.</param>
    public static IReadOnlyList<string> Violations(IReadOnlyDictionary<string, string> files, IReadOnlyDictionary<string, string>? buildFiles = null)
    {
        var violations = new List<string>();
        var rootFiles = files.Where(file => !file.Key.Contains('/')).ToList();
        var rootTypes = rootFiles.SelectMany(file => TypeDeclaration().Matches(file.Value).Select(match => match.Groups["name"].Value)).ToHashSet();
        var parts = new Dictionary<string, HashSet<string>>();  // part → the parts it imports

        foreach (var (path, source) in files.OrderBy(file => file.Key, StringComparer.Ordinal))
        {
            var shown = $"src/Bun.Delivery/{path}";
            var segments = path.Split('/');
            if (segments.Length > 1 && !Layers.Contains(segments[0]))
            {
                violations.Add($"{shown} is in no layer: move {segments[0]}/ under Model/, Integrations/ or Orchestration/ (docs/architecture.md).");
                continue;
            }

            var expected = segments.Length switch
            {
                1 => Root,
                2 => $"{Root}.{segments[0]}",
                _ => $"{Root}.{segments[0]}.{segments[1]}",
            };
            var declared = NamespaceOf(source);
            if (declared is null || !(declared == expected || declared.StartsWith(expected + ".", StringComparison.Ordinal)))
            {
                violations.Add($"{shown} declares namespace {declared ?? "(none)"}; its folder says {expected}.");
                continue;
            }

            var from = PartOf(declared);
            // Inside Bun.Delivery.Integrations, Registry.RegistryClient names another integration without its layer.
            var siblings = segments[0] == "Integrations"
                ? files.Keys.Select(key => key.Split('/')).Where(key => key.Length > 2 && key[0] == "Integrations").Select(key => key[1]).ToHashSet()
                : [];
            foreach (var import in ImportsOf(shown, source, rootTypes, siblings))
            {
                var to = PartOf(import.Target);
                if (to == from)
                    continue;
                parts.TryAdd(from, []);
                parts[from].Add(to);
                if (Rule(from, to) is { } rule)
                    violations.Add($"{import.File}:{import.Line} imports {import.Target}: {rule}");
            }
        }

        foreach (var (path, source) in (buildFiles ?? new Dictionary<string, string>()).OrderBy(file => file.Key, StringComparer.Ordinal))
        {
            foreach (var import in ImportsOf(path, source, new HashSet<string>(), new HashSet<string>()))
            {
                if (PartOf(import.Target).StartsWith("Integrations", StringComparison.Ordinal))
                    violations.Add($"{import.File}:{import.Line} imports {import.Target}: build/ composes integrations through Bun.Delivery.Orchestration, not by itself.");
            }
        }

        violations.AddRange(Cycles(parts));
        return violations;
    }

    private static string? Rule(string from, string to)
    {
        var (fromLayer, toLayer) = (from.Split('.')[0], to.Split('.')[0]);
        return (fromLayer, toLayer) switch
        {
            ("Model", "Integrations" or "Orchestration" or "") => "the model imports no integration, orchestration or build class.",
            ("Integrations", "Integrations") => $"an integration never imports another integration; move what both need to the model, or what combines them to the orchestration.",
            ("Integrations", "Orchestration" or "") => "an integration imports only the model and the engine.",
            ("Orchestration", "") => "the orchestration takes what it needs (context, services, settings), not the build class.",
            _ => null,
        };
    }

    // Parts that import each other, even through others, are one part in disguise.
    private static IEnumerable<string> Cycles(Dictionary<string, HashSet<string>> parts)
    {
        var reported = new HashSet<string>();
        foreach (var start in parts.Keys.Where(key => key != "").Order(StringComparer.Ordinal))
        {
            var path = new List<string>();
            if (FindCycle(start, start, parts, path, []) && reported.Add(string.Join(",", path.Order(StringComparer.Ordinal))))
                yield return $"{string.Join(" → ", path.Prepend(start))}: these parts import each other in a circle; make the dependency one-way.";
        }
    }

    private static bool FindCycle(string start, string at, Dictionary<string, HashSet<string>> parts, List<string> path, HashSet<string> seen)
    {
        foreach (var next in parts.GetValueOrDefault(at, []).Where(next => next != "" && next != at).Order(StringComparer.Ordinal))
        {
            path.Add(next);
            if (next == start || (seen.Add(next) && FindCycle(start, next, parts, path, seen)))
                return true;
            path.RemoveAt(path.Count - 1);
        }

        return false;
    }

    private static string? NamespaceOf(string source) => NamespaceLine().Match(source) is { Success: true } match ? match.Groups["name"].Value : null;

    [GeneratedRegex(@"^\s*namespace\s+(?<name>[\w.]+)", RegexOptions.Multiline)]
    private static partial Regex NamespaceLine();

    [GeneratedRegex(@"(?<![\w.])(?:global::)?(?<name>Bun\.Delivery(?:\.\w+)+)")]
    private static partial Regex Qualified();

    // Names written relative to Bun.Delivery or Bun, which code inside them may do: Integrations.Registry.RegistryClient.
    [GeneratedRegex(@"(?<![\w.])(?:Delivery\.)?(?<name>(?:Model|Integrations|Orchestration)(?:\.\w+)+)")]
    private static partial Regex LayerQualified();

    [GeneratedRegex(@"(?<![\w.])(?<part>[A-Z]\w*)\.[A-Z]\w*")]
    private static partial Regex SiblingQualified();

    [GeneratedRegex(@"//(?!/).*$")]
    private static partial Regex LineComment();

    [GeneratedRegex(@"\b(?:class|record|struct|interface|enum)\s+(?<name>[A-Z]\w*)")]
    private static partial Regex TypeDeclaration();
}
