using Bun.Delivery.Rules;
using Bun.Pipeline.Targets;

namespace Bun.Build;

public sealed partial class Build
{
    public Target DockerImage => _ => _
        .Description("Builds the application image from tested code; a pull request's image stays local.")
        .DependsOn(Test)
        .Executes(NotImplementedYet);

    public Target PushImage => _ => _
        .Description($"Pushes the image of {BranchKinds.Describe(CiRules.ImageBranches)} to the registry; never for a pull request.")
        .DependsOn(DockerImage)
        .Guard(() => Guards.PushImage(nameof(PushImage), Context))
        .Executes(NotImplementedYet);

    public Target CleanupFeatureImages => _ => _
        .Description("Deletes a merged feature/* or fix/* branch's image tags from the registry.")
        .Guard(() => Guards.CleanupFeatureImages(nameof(CleanupFeatureImages), Context))
        .Executes(NotImplementedYet);
}
