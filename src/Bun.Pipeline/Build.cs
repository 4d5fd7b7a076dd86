using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bun.Pipeline.Output;
using Bun.Pipeline.Parameters;
using Bun.Pipeline.Processes;

namespace Bun.Pipeline;

/// <summary>
/// Base class of a build. Targets are <see cref="Targets.Target"/> properties; parameters are members marked with
/// <see cref="ParameterAttribute"/>. The runner hands each build its services explicitly; nothing is static.
/// </summary>
public abstract class Build
{
    // Relaxed escaping: the document is for terminals and tools, never embedded in HTML, so "+00:00" stays readable.
    private static readonly JsonSerializerOptions IndentedJson = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private BuildServices? _services;

    protected BuildServices Services => _services ?? throw new InvalidOperationException("The build has not been started by BuildRunner.");
    public BuildOutput Log => Services.Output;
    public ProcessRunner Processes => Services.Processes;
    public AbsolutePath RootDirectory => Services.Root;
    public BuildEnvironment HostEnvironment => Services.Environment;

    /// <summary><c>--verbosity</c>: how much the build prints; a target passes it on to the tools it runs.</summary>
    public Verbosity Verbosity => Log.Verbosity;

    /// <summary>
    /// <c>--json</c> was given. Without <c>--plan</c> it asks a target for its result as JSON: the target writes it with
    /// <see cref="WriteJson"/>, the only thing on stdout, while everything else the build prints goes to stderr.
    /// </summary>
    public bool Json => Services.Json;

    internal void Attach(BuildServices services) => _services = services;

    /// <summary>Writes a target's result for tools on stdout, masked like everything else (see <see cref="Json"/>).</summary>
    protected void WriteJson(JsonNode document) =>
        HostEnvironment.Out.WriteLine(Log.Secrets.Apply(document)?.ToJsonString(IndentedJson));

    /// <summary>
    /// In GitHub Actions, an output of the step that runs this build (<c>$GITHUB_OUTPUT</c>), which a workflow passes on
    /// to later jobs; elsewhere nothing. Values are single lines and never secrets.
    /// </summary>
    public void SetStepOutput(string name, string value) => Services.SetStepOutput(name, value);

    /// <summary>Runs after parameters are set and before targets are read: derive context from parameters here.</summary>
    protected internal virtual Task InitializeAsync(CancellationToken cancellation) => Task.CompletedTask;

    /// <summary>
    /// Runs after the targets are read and before the plan is made, with the names of the targets that could run:
    /// make the decisions that conditions read here, and only the ones a reachable target needs (e.g. probing a
    /// registry only when an image may be built), so that <c>--help</c> and unrelated targets pay for none of them.
    /// </summary>
    protected internal virtual Task PrepareAsync(IReadOnlySet<string> reachable, CancellationToken cancellation) => Task.CompletedTask;

    /// <summary>The values a text parameter takes, listed by <c>--help</c> (e.g. <c>--environment</c>'s, from a table); null: any text.</summary>
    protected internal virtual IReadOnlyList<string>? ValuesOf(ParameterDescriptor parameter) => null;

    /// <summary>The order <c>--help</c> lists target groups in; groups not named here follow in the order they are first declared.</summary>
    protected internal virtual IReadOnlyList<string> GroupOrder => [];

    /// <summary>Words people type for a target, mapped to the one meant (DeployProd → PromoteProd): the suggestion for an unknown target.</summary>
    protected internal virtual IReadOnlyDictionary<string, string> TargetSynonyms => new Dictionary<string, string>();

    /// <summary>The <c>context</c> object of <c>--plan --json</c>.</summary>
    protected internal virtual async Task<JsonObject> DescribeContextAsync(CancellationToken cancellation)
    {
        var branch = await GitAsync(["rev-parse", "--abbrev-ref", "HEAD"], cancellation);
        return new JsonObject
        {
            ["host"] = HostEnvironment.IsGitHubActions ? "github-actions" : "local",
            ["branch"] = branch == "HEAD" ? null : branch,
            ["commit"] = await GitAsync(["rev-parse", "HEAD"], cancellation),
        };
    }

    private async Task<string?> GitAsync(string[] arguments, CancellationToken cancellation)
    {
        try
        {
            var result = await Processes.RunAsync("git", arguments, cancellation, RootDirectory, echo: false);
            return result.Lines.FirstOrDefault()?.Trim();
        }
        catch (ProcessFailedException)
        {
            return null;
        }
    }
}

/// <summary>The services a running build uses, created once by the runner.</summary>
/// <param name="Json"><c>--json</c>: <see cref="Output"/> writes to stderr, and stdout is kept for the JSON document.</param>
public sealed record BuildServices(BuildOutput Output, ProcessRunner Processes, AbsolutePath Root, BuildEnvironment Environment, bool Json = false)
{
    /// <summary>In GitHub Actions, an output of the step that runs this build (<c>$GITHUB_OUTPUT</c>); elsewhere nothing.</summary>
    public void SetStepOutput(string name, string value)
    {
        if (Environment.Variables.GetValueOrDefault("GITHUB_OUTPUT") is { Length: > 0 } outputs)
            File.AppendAllText(outputs, $"{name}={Output.Secrets.Apply(value.ReplaceLineEndings(" "))}\n");
    }
}
