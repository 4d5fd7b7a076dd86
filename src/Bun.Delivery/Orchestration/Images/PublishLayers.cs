using System.Text.Json;
using Bun.Delivery.Integrations.Docker;
using Bun.Pipeline.Failures;

namespace Bun.Delivery.Orchestration.Images;

/// <summary>
/// Splits a <c>dotnet publish</c> folder into image layers by how often they change, slowest first, with the app's
/// <c>*.deps.json</c> as the source of truth: the .NET runtime (the assets of its <c>runtimepack</c> libraries, present
/// in a self-contained publish only), the NuGet packages (its <c>package</c> libraries), and the app (its
/// <c>project</c> libraries and every file the deps.json does not name: the apphost, appsettings.json, the deps.json
/// and runtimeconfig.json). An empty layer is left out, so a framework-dependent publish gives two.
/// </summary>
public static class PublishLayers
{
    public const string Runtime = ".NET runtime";
    public const string Packages = "NuGet packages";
    public const string App = "the app";

    private static readonly string[] AssetGroups = ["runtime", "native", "resources", "runtimeTargets"];

    /// <param name="excluded">.dockerignore-style patterns of files kept out of the image, e.g. <c>*.pdb</c>.</param>
    public static IReadOnlyList<ImageLayer> Read(string publishDirectory, IReadOnlyList<string> excluded)
    {
        var root = Path.GetFullPath(publishDirectory);
        var depsFile = DepsFile(root);
        var ignore = DockerIgnore.Parse(string.Join('\n', excluded));
        var files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(root, file).Replace('\\', '/'))
            .Where(file => !ignore.Excludes(file))
            .ToHashSet(StringComparer.Ordinal);
        var kinds = Classify(root, depsFile, files);

        var layers = new[] { Runtime, Packages, App }
            .Select(kind => new ImageLayer(kind, files.Where(file => kinds.GetValueOrDefault(file, App) == kind).Order(StringComparer.Ordinal).ToList()))
            .Where(layer => layer.Files.Count > 0)
            .ToList();
        return layers;
    }

    private static string DepsFile(string root)
    {
        if (!Directory.Exists(root))
            throw BuildFailure.BadInput($"The publish folder '{root}' does not exist. Run dotnet publish first.");
        // The app's deps.json is the one with a runtimeconfig.json beside it; a library's deps.json has none.
        var candidates = Directory.GetFiles(root, "*.deps.json")
            .Where(file => File.Exists(file[..^".deps.json".Length] + ".runtimeconfig.json"))
            .ToList();
        return candidates.Count == 1
            ? candidates[0]
            : throw BuildFailure.BadInput(
                $"The publish folder '{root}' has {candidates.Count} app deps.json files (<app>.deps.json beside <app>.runtimeconfig.json); " +
                "the image layers are read from exactly one. Publish one app per folder.");
    }

    // Each file the deps.json names, with the kind of its library; a project's claim beats a package's, which beats the runtime's.
    private static Dictionary<string, string> Classify(string root, string depsFile, HashSet<string> files)
    {
        using var deps = JsonDocument.Parse(File.ReadAllBytes(depsFile));
        var document = deps.RootElement;
        if (!document.TryGetProperty("runtimeTarget", out var runtimeTarget) || runtimeTarget.GetProperty("name").GetString() is not { } targetName ||
            !document.GetProperty("targets").TryGetProperty(targetName, out var target))
            throw BuildFailure.BadInput($"{depsFile} names no runtime target with its libraries; is it the output of dotnet publish?");
        var libraries = document.GetProperty("libraries");

        var kinds = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var library in target.EnumerateObject())
        {
            var type = libraries.TryGetProperty(library.Name, out var entry) && entry.TryGetProperty("type", out var kind) ? kind.GetString() : null;
            var layer = type switch { "runtimepack" => Runtime, "package" => Packages, _ => App };
            foreach (var group in AssetGroups.Where(group => library.Value.TryGetProperty(group, out _)))
            {
                foreach (var asset in library.Value.GetProperty(group).EnumerateObject())
                {
                    if (PublishedPath(asset, files) is { } file && Rank(layer) > Rank(kinds.GetValueOrDefault(file)))
                        kinds[file] = layer;
                }
            }
        }

        return kinds;
    }

    // A publish flattens lib/<tfm>/X.dll to X.dll and a resource to <locale>/X.resources.dll; runtimes/<rid>/… stays as it is.
    private static string? PublishedPath(JsonProperty asset, HashSet<string> files)
    {
        var path = asset.Name.Replace('\\', '/');
        var name = Path.GetFileName(path);
        var locale = asset.Value.ValueKind == JsonValueKind.Object && asset.Value.TryGetProperty("locale", out var culture) ? culture.GetString() : null;
        string[] candidates = locale is null ? [path, name] : [$"{locale}/{name}", path];
        return candidates.FirstOrDefault(files.Contains);
    }

    private static int Rank(string? layer) => layer switch { Runtime => 1, Packages => 2, App => 3, _ => 0 };
}
