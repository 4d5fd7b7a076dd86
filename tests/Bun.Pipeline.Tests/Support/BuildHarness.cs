using Bun.Pipeline.Cli;
using Bun.Pipeline.Targets;

namespace Bun.Pipeline.Tests.Support;

/// <summary>Runs a build in-process, the way <c>./build.sh</c> would, against a temp repository root with captured output.</summary>
internal sealed class BuildHarness : IDisposable
{
    public TempFolder Root { get; } = new();
    public StringWriter Out { get; } = new();
    public StringWriter Error { get; } = new();
    public Dictionary<string, string> Variables { get; } = [];

    public string SchemaPath => Path.Combine(Root.Nuke, "build.schema.json");

    public Task<int> RunAsync(Build build, Target defaultTarget, params string[] arguments) =>
        RunAsync(build, defaultTarget, CancellationToken.None, arguments);

    public Task<int> RunAsync(Build build, Target defaultTarget, CancellationToken cancellation, params string[] arguments) =>
        BuildRunner.RunAsync(build, arguments, defaultTarget,
            new BuildEnvironment(Variables, Out, Error, IsTerminal: false, Root.Path, Cores: 2), cancellation);

    /// <summary>Everything the run wrote, stdout then stderr.</summary>
    public string AllOutput => Out + "\n" + Error;

    public void Dispose() => Root.Dispose();
}
