using Bun.Delivery.Rules;
using Bun.Pipeline.Targets;

namespace Bun.Build;

/// <summary>One target per deployed environment; DeploysTo takes each one's description and guard from the environments table.</summary>
public sealed partial class Build
{
    public Target DeployDev => _ => _
        .DeploysTo(Environments.Dev, () => Context)
        .DependsOn(PushImage)
        .Executes(NotImplementedYet);

    public Target DeployTest => _ => _
        .DeploysTo(Environments.Test, () => Context)
        .DependsOn(PushImage)
        .Executes(NotImplementedYet);

    public Target DeployStage => _ => _
        .DeploysTo(Environments.Stage, () => Context)
        .DependsOn(PushImage)
        .Executes(NotImplementedYet);

    // Promotion retags the digest stage verified: it never builds or pushes an image of its own.
    public Target PromoteProd => _ => _
        .DeploysTo(Environments.Prod, () => Context)
        .Executes(NotImplementedYet);

    public Target Rollback => _ => _
        .Description($"Rolls --environment ({Environments.Describe(Environments.Deployed)}) back to its last verified deployment; from any branch.")
        .Requires(() => Environment)
        .Guard(() => Guards.Rollback(nameof(Rollback), SelectedEnvironment))
        .Executes(NotImplementedYet);
}
