using Bun.Delivery.Model.Rules;
using Bun.Pipeline.Targets;

namespace Bun.Build;

/// <summary>
/// What CI runs, for every branch and event: one conditional dependency per rule of the delivery model
/// (docs/delivery.md). The deploy rules read the environments table; a target whose rule is false is not planned.
/// </summary>
public sealed partial class Build
{
    public Target Ci => _ => _
        .Description("Runs what the delivery rules give for this branch and event (docs/delivery.md).")
        .Group("build")
        .DependsOn(Compile, Test).When(() => Context.CompilesAndTests)
        .DependsOn(DockerImage).When(() => Context.BuildsImage)
        .DependsOn(PushImage).When(() => Context.PushesImage)
        .DependsOn(DeployDev).When(Environments.Dev.AutomaticRule, () => Context.DeploysAutomatically(Environments.Dev))
        .DependsOn(DeployTest).When(Environments.Test.AutomaticRule, () => Context.DeploysAutomatically(Environments.Test))
        .DependsOn(DeployStage).When(Environments.Stage.AutomaticRule, () => Context.DeploysAutomatically(Environments.Stage))
        .DependsOn(CleanupFeatureImages).When(() => Context.IsMergedFeatureOrFix)
        .DependsOn(BackMergeFix).When(() => Context.IsMergedFixIntoRelease);
}
