using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bun.Pipeline.Failures;
using Bun.Pipeline.Planning;
using Bun.Pipeline.Targets;

namespace Bun.Pipeline.Workflows;

/// <summary>An IDE run profile: a name and the build's command line, e.g. <c>Rollback --environment stage</c>.</summary>
public sealed record LaunchProfile(string Name, string Arguments);

/// <summary>
/// <c>build/Properties/launchSettings.json</c>: one profile per target plus the declared ones, so Visual Studio, Rider
/// and VS Code (C# Dev Kit) run a target with one click. The build finds the repository root from its output folder.
/// </summary>
public static class LaunchSettings
{
    public const string PathInRepository = "build/Properties/launchSettings.json";

    public static string Generate(IReadOnlyList<TargetSpec> targets, IReadOnlyList<LaunchProfile> profiles)
    {
        var all = targets.Select(target => new LaunchProfile(target.Name, target.Name)).Concat(profiles).ToList();
        var duplicate = all.GroupBy(profile => profile.Name).FirstOrDefault(group => group.Count() > 1);
        if (duplicate is not null)
            throw BuildFailure.BadInput($"Two launch profiles are called '{duplicate.Key}' (every target has one of its own); rename the declared one.");
        foreach (var profile in profiles)
        foreach (var name in profile.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries).TakeWhile(word => !word.StartsWith('-')))
        {
            if (targets.All(target => target.Name != name))
                throw BuildFailure.BadInput(
                    $"Launch profile '{profile.Name}' runs the unknown target '{name}'.{ClosestMatches.Suggest(name, targets.Select(target => target.Name))}");
        }

        var document = new JsonObject
        {
            ["$schema"] = "https://json.schemastore.org/launchsettings.json",
            ["profiles"] = new JsonObject(all.Select(profile => KeyValuePair.Create(profile.Name, (JsonNode?)new JsonObject
            {
                ["commandName"] = "Project",
                ["commandLineArgs"] = profile.Arguments,
            }))),
        };
        return document.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping })
            .ReplaceLineEndings("\n") + "\n";
    }
}
