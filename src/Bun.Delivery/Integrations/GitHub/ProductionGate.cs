using Octokit;

namespace Bun.Delivery.Integrations.GitHub;

/// <summary>
/// DESIGN §9 step 2 on GitHub: on the release HEAD every required check is green, and every commit that entered the
/// release branch after it was cut from main came through a pull request into it with enough approving reviews and no
/// outstanding "changes requested". <see cref="ProblemsAsync"/> lists what is missing, each naming the check or the pull
/// request; an empty list lets the promotion go on.
/// </summary>
public sealed class ProductionGate(GitHubApi api)
{
    private const string Permission = "contents: read, checks: read, statuses: read, pull-requests: read";
    private static readonly string[] GreenConclusions = ["success", "neutral", "skipped"];

    public async Task<IReadOnlyList<string>> ProblemsAsync(string releaseBranch, string head, string cutFrom, IReadOnlyList<string> checks, int approvals,
        CancellationToken cancellation)
    {
        var problems = new List<string>();
        problems.AddRange(await CheckProblemsAsync(head, checks, cancellation));
        problems.AddRange(await ReviewProblemsAsync(releaseBranch, cutFrom, approvals, cancellation));
        return problems;
    }

    private async Task<IEnumerable<string>> CheckProblemsAsync(string head, IReadOnlyList<string> required, CancellationToken cancellation)
    {
        var runs = await api.CallAsync($"reading the check runs of {Short(head)}", Permission, () =>
            api.Client.Check.Run.GetAllForReference(api.Owner, api.Name, head, new CheckRunRequest(), new ApiOptions { PageSize = 100 }), cancellation);
        var statuses = await api.CallAsync($"reading the commit statuses of {Short(head)}", Permission, () =>
            api.Client.Repository.Status.GetCombined(api.Owner, api.Name, head), cancellation);

        return required.Select(check =>
        {
            // A check that ran again counts by its newest run.
            if (runs.CheckRuns.Where(run => run.Name == check).MaxBy(run => run.Id) is { } run)
                return run.Status.StringValue != "completed" ? $"check '{check}' is still {run.Status.StringValue} on {Short(head)}"
                    : GreenConclusions.Contains(run.Conclusion?.StringValue) ? null
                    : $"check '{check}' is {run.Conclusion?.StringValue} on {Short(head)}";
            if (statuses.Statuses.FirstOrDefault(status => status.Context == check) is { } status)
                return status.State.StringValue == "success" ? null : $"check '{check}' is {status.State.StringValue} on {Short(head)}";
            return $"check '{check}' has not reported on {Short(head)}";
        }).OfType<string>().ToList();
    }

    private async Task<IEnumerable<string>> ReviewProblemsAsync(string releaseBranch, string cutFrom, int approvals, CancellationToken cancellation)
    {
        var entered = await api.CallAsync($"comparing {releaseBranch} with {cutFrom}", Permission, () =>
            api.Client.Repository.Commit.Compare(api.Owner, api.Name, cutFrom, releaseBranch, new ApiOptions { PageSize = 100 }), cancellation);
        var problems = new List<string>();
        var reviewed = new Dictionary<int, string?>();
        foreach (var commit in entered.Commits)
        {
            var pulls = await api.CallAsync($"finding the pull request of {Short(commit.Sha)}", Permission, () =>
                api.Client.Repository.Commit.PullRequests(api.Owner, api.Name, commit.Sha, new ApiOptions { PageSize = 100 }), cancellation);
            var pull = pulls.FirstOrDefault(pull => pull.MergedAt is not null && pull.Base.Ref == releaseBranch);
            if (pull is null)
            {
                problems.Add($"commit {Short(commit.Sha)} entered {releaseBranch} through no pull request; every change to a release branch needs a reviewed one");
                continue;
            }

            if (!reviewed.ContainsKey(pull.Number))
                reviewed[pull.Number] = await ReviewProblemAsync(pull.Number, pull.Title, approvals, cancellation);
        }

        return problems.Concat(reviewed.Values.OfType<string>());
    }

    private async Task<string?> ReviewProblemAsync(int number, string title, int approvals, CancellationToken cancellation)
    {
        var reviews = await api.CallAsync($"reading the reviews of pull request #{number}", Permission, () =>
            api.Client.PullRequest.Review.GetAll(api.Owner, api.Name, number, new ApiOptions { PageSize = 100 }), cancellation);
        // Each reviewer's newest verdict counts; a comment is no verdict.
        var verdicts = reviews
            .Where(review => review.State.StringValue is "APPROVED" or "CHANGES_REQUESTED" or "DISMISSED")
            .GroupBy(review => review.User.Login)
            .Select(reviewer => (Reviewer: reviewer.Key, State: reviewer.MaxBy(review => review.Id)!.State.StringValue))
            .ToList();
        var blocking = verdicts.Where(verdict => verdict.State == "CHANGES_REQUESTED").Select(verdict => $"@{verdict.Reviewer}").ToList();
        if (blocking.Count > 0)
            return $"pull request #{number} ({title}) has changes requested by {string.Join(", ", blocking)}";
        var approved = verdicts.Count(verdict => verdict.State == "APPROVED");
        return approved < approvals ? $"pull request #{number} ({title}) has {approved} of the {approvals} approving reviews required" : null;
    }

    private static string Short(string sha) => sha[..Math.Min(7, sha.Length)];
}
