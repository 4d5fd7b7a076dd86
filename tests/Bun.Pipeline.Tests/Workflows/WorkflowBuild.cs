using Bun.Pipeline.Parameters;
using Bun.Pipeline.Targets;
using Bun.Pipeline.Workflows;

namespace Bun.Pipeline.Tests.Workflows;

/// <summary>A small build to declare workflows against: Publish reads a secret, Compile and Test read none.</summary>
internal sealed class WorkflowBuild : Build
{
    [Parameter("Where packages go.")]
    public string? Feed { get; set; }

    [Parameter("The feed's token."), Secret]
    public string? FeedToken { get; set; }

    [Parameter("A secret no target reads."), Secret]
    public string? Unused { get; set; }

    [Parameter("Which channel to publish to.")]
    public string? Channel { get; set; }

    public Target Compile => _ => _.Executes(() => { });
    public Target Test => _ => _.DependsOn(Compile).Executes(() => { });
    public Target Publish => _ => _.DependsOn(Test).Requires(() => Feed).Uses(() => FeedToken).Uses(() => Channel).Executes(() => { });

    public static IReadOnlyList<GeneratedFile> Generate(params Workflow[] workflows)
    {
        var build = new WorkflowBuild();
        return WorkflowGenerator.Generate(workflows, TargetDiscovery.Discover(build).Specs, ParameterDescriptor.Discover(typeof(WorkflowBuild)));
    }

    public static string Yaml(Workflow workflow) => Generate(workflow).Single().Content;

    public static Workflow OneJob(params BuildStep[] steps) => new("release", "Release")
    {
        On = [new PushTrigger(["main"])],
        Jobs = [new WorkflowJob("build", "Build") { Steps = steps }],
    };
}
