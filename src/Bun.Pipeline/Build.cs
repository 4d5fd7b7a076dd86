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
    private BuildServices? _services;

    protected BuildServices Services => _services ?? throw new InvalidOperationException("The build has not been started by BuildRunner.");
    public BuildOutput Log => Services.Output;
    public ProcessRunner Processes => Services.Processes;
    public AbsolutePath RootDirectory => Services.Root;
    public BuildEnvironment HostEnvironment => Services.Environment;

    internal void Attach(BuildServices services) => _services = services;

    /// <summary>Runs after parameters are set and before targets are read: derive context from parameters here.</summary>
    protected internal virtual Task InitializeAsync(CancellationToken cancellation) => Task.CompletedTask;

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
public sealed record BuildServices(BuildOutput Output, ProcessRunner Processes, AbsolutePath Root, BuildEnvironment Environment);
