using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CliWrap;
using CliWrap.Buffered;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Bun.Delivery.Tests.Integrations.GitOps;

/// <summary>
/// An overlay as <c>kubectl kustomize</c> renders it (the tool Argo CD uses), read into JSON objects, one per resource.
/// Plain YAML scalars get their YAML 1.2 core types (int, float, bool, null); quoted ones stay strings.
/// </summary>
internal static partial class RenderedManifests
{
    public static async Task<string> KustomizeAsync(string directory)
    {
        RequireKubectl();
        var result = await Cli.Wrap("kubectl").WithArguments(["kustomize", directory]).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
        result.ExitCode.ShouldBe(0, result.StandardError);
        return result.StandardOutput;
    }

    private static void RequireKubectl() => ServiceGate.Require(
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Any(folder => File.Exists(Path.Combine(folder, "kubectl"))) ? null : "not on PATH",
        "kubectl", "Install it with .ci/services/kubectl.sh.", log: null);

    public static async Task<IReadOnlyList<JsonObject>> RenderAsync(string directory) => Parse(await KustomizeAsync(directory));

    public static IReadOnlyList<JsonObject> Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Select(document => Json(document.RootNode)).OfType<JsonObject>().ToList();
    }

    public static JsonObject Resource(this IReadOnlyList<JsonObject> resources, string kind) =>
        resources.Where(resource => resource["kind"]?.GetValue<string>() == kind).ShouldHaveSingleItem();

    private static JsonNode? Json(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(child => KeyValuePair.Create(((YamlScalarNode)child.Key).Value!, Json(child.Value)))),
        YamlSequenceNode sequence => new JsonArray(sequence.Children.Select(Json).ToArray()),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new InvalidOperationException($"unexpected YAML node {node.NodeType}"),
    };

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style != ScalarStyle.Plain)
            return JsonValue.Create(text);
        if (text is "" or "~" or "null")
            return null;
        if (text is "true" or "false")
            return JsonValue.Create(text == "true");
        if (Integer().IsMatch(text))
            return JsonValue.Create(long.Parse(text, CultureInfo.InvariantCulture));
        if (Float().IsMatch(text))
            return JsonValue.Create(double.Parse(text, CultureInfo.InvariantCulture));
        return JsonValue.Create(text);
    }

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex Integer();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex Float();
}
