using System.Text.Json;
using Bun.Pipeline.Failures;

namespace Bun.Pipeline.Parameters;

/// <summary>One parameters file: <c>.nuke/parameters.json</c>, or <c>.nuke/parameters.&lt;profile&gt;.json</c> for <c>--profile</c>.</summary>
public sealed record ParameterFile(string Path, IReadOnlyDictionary<string, IReadOnlyList<string>> Values)
{
    /// <summary>The default file if present, then each profile in order (later ones win). A named profile must exist.</summary>
    public static IReadOnlyList<ParameterFile> Load(AbsolutePath root, IReadOnlyList<string> profiles)
    {
        var folder = root / ".nuke";
        var files = new List<ParameterFile>();
        if (File.Exists(folder / "parameters.json"))
            files.Add(Read(folder / "parameters.json"));
        foreach (var profile in profiles)
        {
            var path = folder / $"parameters.{profile}.json";
            if (!File.Exists(path))
                throw BuildFailure.BadInput($"Profile '{profile}' has no file {System.IO.Path.GetRelativePath(root, path)}; create it or drop --profile {profile}.");
            files.Add(Read(path));
        }

        return files;
    }

    private static ParameterFile Read(AbsolutePath path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            var values = document.RootElement.EnumerateObject()
                .Where(property => property.Name != "$schema")
                .ToDictionary(property => property.Name, property => Texts(property.Value));
            return new ParameterFile(path, values);
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException)
        {
            throw BuildFailure.BadInput($"{path.Name} is not a JSON object of parameter values: {exception.Message.Split('\n')[0]}");
        }
    }

    private static IReadOnlyList<string> Texts(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Array => value.EnumerateArray().SelectMany(Texts).ToList(),
        JsonValueKind.String => [value.GetString()!],
        JsonValueKind.Null => [],
        _ => [value.GetRawText()],
    };
}
