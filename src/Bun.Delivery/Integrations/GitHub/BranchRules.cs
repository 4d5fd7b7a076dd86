using Octokit;

namespace Bun.Delivery.Integrations.GitHub;

/// <summary>What the rules of a branch require before a change may land or ship: the checks by name, and the approving reviews.</summary>
/// <param name="Approvals">Null when no rule asks for reviews.</param>
/// <param name="Sources">Where they come from, for messages: "rulesets", "classic branch protection".</param>
public sealed record BranchRequirements(IReadOnlyList<string> Checks, int? Approvals, IReadOnlyList<string> Sources)
{
    public bool IsEmpty => Checks.Count == 0 && Approvals is null;
}

/// <summary>
/// Reads what applies to a branch: the rules of every ruleset that targets it (<c>GET …/rules/branches/{branch}</c>,
/// which Octokit 14 lacks, through its connection) and classic branch protection where there is one. Classic protection
/// needs <c>administration: read</c>, which a workflow's token never has: unreadable, it is skipped with a warning.
/// </summary>
public sealed class BranchRules(GitHubApi api)
{
    public async Task<BranchRequirements> ReadAsync(string branch, CancellationToken cancellation)
    {
        var rules = await api.CallAsync($"reading the rules of {branch}", "contents: read", () =>
            api.Rest.GetAll<BranchRule>(api.RepoPath($"rules/branches/{branch}"), new ApiOptions { PageSize = 100 }), cancellation);
        var protection = await ProtectionAsync(branch, cancellation);

        var checks = rules.Where(rule => rule.Type == "required_status_checks")
            .SelectMany(rule => rule.Parameters?.RequiredStatusChecks ?? [])
            .Select(check => check.Context)
            .Concat(protection?.RequiredStatusChecks?.Contexts ?? [])
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var approvals = rules.Where(rule => rule.Type == "pull_request").Select(rule => rule.Parameters?.RequiredApprovingReviewCount ?? 0)
            .Concat(protection?.RequiredPullRequestReviews is { } reviews ? [reviews.RequiredApprovingReviewCount] : [])
            .Select(count => (int?)count)
            .Max();
        var sources = new List<string>();
        if (rules.Count > 0)
            sources.Add("rulesets");
        if (protection is not null)
            sources.Add("classic branch protection");
        return new BranchRequirements(checks, approvals, sources);
    }

    private Task<BranchProtectionSettings?> ProtectionAsync(string branch, CancellationToken cancellation) =>
        api.CallAsync<BranchProtectionSettings?>($"reading the branch protection of {branch}", "administration: read", async () =>
        {
            try
            {
                return await api.Client.Repository.Branch.GetBranchProtection(api.Owner, api.Name, branch);
            }
            catch (NotFoundException)
            {
                return null;
            }
            catch (ForbiddenException forbidden) when (GitHubRetry.RateLimitWait(forbidden, TimeProvider.System) is null)
            {
                api.Output.Warning($"The token may not read the classic branch protection of {branch} (administration: read): only its rulesets are read.");
                return null;
            }
        }, cancellation);

    /// <summary>One rule of <c>GET …/rules/branches/{branch}</c>; Octokit's serializer fills it from snake_case.</summary>
    public sealed class BranchRule
    {
        public string Type { get; set; } = "";
        public RuleParameters? Parameters { get; set; }
    }

    /// <summary>The parameters of the two rule types the gate reads: <c>required_status_checks</c> and <c>pull_request</c>.</summary>
    public sealed class RuleParameters
    {
        public IReadOnlyList<StatusCheck>? RequiredStatusChecks { get; set; }
        public int? RequiredApprovingReviewCount { get; set; }
    }

    public sealed class StatusCheck
    {
        public string Context { get; set; } = "";
    }
}
