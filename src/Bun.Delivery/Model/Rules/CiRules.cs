using Bun.Delivery.Model.Branches;
using Bun.Delivery.Model.Context;

namespace Bun.Delivery.Model.Rules;

/// <summary>
/// What <c>Ci</c> runs for a context, one rule per row of the delivery model's table. The build class's <c>Ci</c>
/// target makes each one a conditional dependency, so the plan quotes these names.
/// </summary>
public static class CiRules
{
    /// <summary>The kinds whose images are pushed: the ones with an image tag scheme and an environment to go to.</summary>
    public static IReadOnlyList<BranchKind> ImageBranches { get; } = [BranchKind.Main, BranchKind.Feature, BranchKind.Release, BranchKind.Fix];

    extension(DeliveryContext context)
    {
        /// <summary>Every context compiles and tests, except a closed pull request: that one only cleans up.</summary>
        public bool CompilesAndTests => context.Event != DeliveryEvent.PullRequestClosed;

        /// <summary>A pull request builds its image to prove it builds; a push builds the image it pushes.</summary>
        public bool BuildsImage => context.Event == DeliveryEvent.PullRequest || context.PushesImage;

        public bool PushesImage => context.Event == DeliveryEvent.Push && ImageBranches.Contains(context.Kind);

        /// <summary>The environments table's trigger: a push of the kind the environment deploys automatically.</summary>
        public bool DeploysAutomatically(DeliveryEnvironment environment) =>
            context.Event == DeliveryEvent.Push && context.Kind == environment.AutomaticOnPushTo;

        public bool IsMergedFeatureOrFix =>
            context is { Event: DeliveryEvent.PullRequestClosed, Merged: true, Kind: BranchKind.Feature or BranchKind.Fix };

        /// <summary>A fix merged into a release branch: it must reach main too, so that no production fix is lost.</summary>
        public bool IsMergedFixIntoRelease =>
            context is { Event: DeliveryEvent.PullRequestClosed, Merged: true, Kind: BranchKind.Fix, BaseBranch: { } @base }
            && Branch.Classify(@base).Kind == BranchKind.Release;
    }
}
