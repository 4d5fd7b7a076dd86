using Bun.Delivery.Integrations.GitHub;
using Bun.Delivery.Model.Branches;
using Bun.Delivery.Model.Context;
using Bun.Delivery.Orchestration.GitHub;
using Bun.Pipeline.Failures;
using Bun.Pipeline.Output;

namespace Bun.Delivery.Orchestration.Fixes;

/// <summary>
/// BackMergeFix, from the merged-pull-request workflow: a fix/** pull request merged into a release branch is carried
/// to main (<see cref="BackMerges"/>). Any other closed pull request has nothing to carry, which a notice says.
/// </summary>
public static class FixBackMerge
{
    public const string MainBranch = "main";

    public static async Task RunAsync(GitHubAccess access, DeliveryContext context, BuildOutput output, CancellationToken cancellation)
    {
        if (context is not { Event: DeliveryEvent.PullRequestClosed, Merged: true } || context.Kind != BranchKind.Fix
            || context.BaseBranch is not { } releaseBranch || Branch.Classify(releaseBranch).Kind != BranchKind.Release)
        {
            output.Notice($"Nothing to carry to main: {context} is not a merged fix/** pull request into a release branch.");
            return;
        }

        var number = context.PullRequestNumber
                     ?? throw BuildFailure.BadInput("BackMergeFix needs the merged pull request's number: on a laptop, pass --pr-number.");
        var api = await access.OpenAsync("BackMergeFix", "pull-requests: write", output, cancellation);
        var carried = await new BackMerges(api).CarryAsync(releaseBranch, MainBranch, number, cancellation);
        output.Success(carried is null
            ? $"{MainBranch} already has everything {releaseBranch} has: no back-merge needed for #{number}."
            : $"Back-merge #{carried.Number} of {releaseBranch} into {MainBranch} {carried.Action} for #{number}: {carried.Url}");
    }
}
