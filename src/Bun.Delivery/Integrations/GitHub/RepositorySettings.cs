using System.Text.Json.Nodes;
using Bun.Pipeline.Failures;
using Octokit;

namespace Bun.Delivery.Integrations.GitHub;

/// <summary>A branch ruleset as this build manages it: the branches it covers, the checks it requires, the approving reviews.</summary>
/// <param name="Include">A <c>ref_name</c> pattern, e.g. <c>refs/heads/release/*</c>: classic protection takes no wildcard, a ruleset does.</param>
/// <param name="Enforcement">What GitHub does with it; this build writes <c>active</c> only.</param>
public sealed record RulesetSpec(string Name, string Include, IReadOnlyList<string> Checks, int Approvals, string Enforcement = "active")
{
    public string Describe() => $"branches {Include}; checks {(Checks.Count == 0 ? "none" : string.Join(", ", Checks))}; " +
                                (Approvals < 0 ? "no pull request" : $"a pull request with {Approvals} approving review{(Approvals == 1 ? "" : "s")}") + $"; {Enforcement}";

    public JsonObject Body() => new()
    {
        ["name"] = Name, ["target"] = "branch", ["enforcement"] = Enforcement,
        ["conditions"] = new JsonObject { ["ref_name"] = new JsonObject { ["include"] = new JsonArray(Include), ["exclude"] = new JsonArray() } },
        ["rules"] = new JsonArray(
            new JsonObject
            {
                ["type"] = "pull_request",
                ["parameters"] = new JsonObject
                {
                    ["required_approving_review_count"] = Approvals, ["dismiss_stale_reviews_on_push"] = true, ["require_code_owner_review"] = false,
                    ["require_last_push_approval"] = false, ["required_review_thread_resolution"] = false,
                },
            },
            new JsonObject
            {
                ["type"] = "required_status_checks",
                ["parameters"] = new JsonObject
                {
                    ["strict_required_status_checks_policy"] = false,
                    ["required_status_checks"] = new JsonArray(Checks.Select(check => (JsonNode?)new JsonObject { ["context"] = check }).ToArray()),
                },
            }),
    };
}

/// <summary>A GitHub environment as this build manages it: its required reviewers (logins) and the branches that may deploy to it.</summary>
/// <param name="Branches">Branch name patterns of a custom deployment branch policy (e.g. <c>release/*</c>); empty: any branch.</param>
public sealed record EnvironmentSpec(string Name, IReadOnlyList<string> Reviewers, IReadOnlyList<string> Branches)
{
    public string Describe() => $"reviewers {(Reviewers.Count == 0 ? "none" : string.Join(", ", Reviewers.Order(StringComparer.OrdinalIgnoreCase)))}; " +
                                $"deployments from {(Branches.Count == 0 ? "any branch" : string.Join(", ", Branches.Order(StringComparer.Ordinal)))}";
}

/// <summary>
/// Repository rulesets and environments with their deployment branch policies, which Octokit 14 lacks, through its
/// connection (<see cref="GitHubApi.Rest"/>): read what is, and write what should be. A plan without rulesets (a
/// private repository on GitHub Free) is a clear error that says what to change.
/// </summary>
public sealed class RepositorySettings(GitHubApi api)
{
    private const string Permission = "administration: write (a fine-grained token or a GitHub App: a workflow's GITHUB_TOKEN cannot have it)";
    private const string JsonType = "application/json";

    /// <summary>The ruleset of that name and how it reads as a <see cref="RulesetSpec"/>; null when there is none.</summary>
    public async Task<(long Id, RulesetSpec Spec)?> FindRulesetAsync(string name, CancellationToken cancellation)
    {
        var summaries = await RulesetCallAsync("listing the repository's rulesets", () =>
            api.Rest.GetAll<Ruleset>(api.RepoPath("rulesets"), new ApiOptions { PageSize = 100 }), cancellation);
        if (summaries.FirstOrDefault(summary => summary.Name == name) is not { } summary)
            return null;
        var ruleset = await RulesetCallAsync($"reading the ruleset '{name}'", () => api.Rest.Get<Ruleset>(api.RepoPath($"rulesets/{summary.Id}")), cancellation);
        var rules = ruleset.Rules ?? [];
        var spec = new RulesetSpec(name,
            string.Join(", ", ruleset.Conditions?.RefName?.Include ?? []),
            rules.Where(rule => rule.Type == "required_status_checks").SelectMany(rule => rule.Parameters?.RequiredStatusChecks ?? []).Select(check => check.Context).ToList(),
            rules.Where(rule => rule.Type == "pull_request").Select(rule => rule.Parameters?.RequiredApprovingReviewCount ?? 0).DefaultIfEmpty(-1).Max(),
            ruleset.Enforcement);
        return (ruleset.Id, spec);
    }

    public Task SaveRulesetAsync(long? id, RulesetSpec spec, CancellationToken cancellation) =>
        RulesetCallAsync($"{(id is null ? "creating" : "updating")} the ruleset '{spec.Name}'", async () => id is null
            ? await api.Rest.Post<Ruleset>(api.RepoPath("rulesets"), spec.Body().ToJsonString(), AcceptsJson, JsonType)
            : await api.Rest.Put<Ruleset>(api.RepoPath($"rulesets/{id}"), spec.Body().ToJsonString()), cancellation);

    /// <summary>The environment as it reads as an <see cref="EnvironmentSpec"/>; null when it does not exist.</summary>
    public async Task<EnvironmentSpec?> FindEnvironmentAsync(string name, CancellationToken cancellation)
    {
        var environment = await api.FindAsync($"reading the environment {name}", Permission, () =>
            api.Rest.Get<GitHubEnvironment>(api.RepoPath($"environments/{Uri.EscapeDataString(name)}")), cancellation);
        if (environment is null)
            return null;
        var reviewers = (environment.ProtectionRules ?? []).Where(rule => rule.Type == "required_reviewers")
            .SelectMany(rule => rule.Reviewers ?? []).Select(reviewer => reviewer.Reviewer?.Login ?? $"#{reviewer.Reviewer?.Id}").ToList();
        var branches = environment.DeploymentBranchPolicy?.CustomBranchPolicies == true ? await BranchPoliciesAsync(name, cancellation)
            : environment.DeploymentBranchPolicy?.ProtectedBranches == true ? ["(protected branches)"] : [];
        return new EnvironmentSpec(name, reviewers, branches);
    }

    /// <summary>The account ids of reviewer logins, looked up before anything is written: an unknown login is bad input that changes nothing.</summary>
    public async Task<IReadOnlyDictionary<string, long>> ReviewerIdsAsync(IEnumerable<string> logins, CancellationToken cancellation)
    {
        var ids = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        foreach (var login in logins.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var user = await api.FindAsync($"finding the GitHub user {login}", Permission, () => api.Client.User.Get(login), cancellation)
                       ?? throw BuildFailure.BadInput($"The reviewer '{login}' is not a GitHub user; give GitHub logins (--prod-reviewers). Nothing was changed.");
            ids[login] = user.Id;
        }

        return ids;
    }

    /// <summary>Creates or updates the environment, then adds the missing branch policies; <paramref name="reviewerIds"/> from <see cref="ReviewerIdsAsync"/>.</summary>
    public async Task SaveEnvironmentAsync(EnvironmentSpec spec, IReadOnlyDictionary<string, long> reviewerIds, CancellationToken cancellation)
    {
        var reviewers = new JsonArray();
        foreach (var login in spec.Reviewers)
            reviewers.Add(new JsonObject { ["type"] = "User", ["id"] = reviewerIds[login] });

        var body = new JsonObject
        {
            ["reviewers"] = reviewers,
            ["deployment_branch_policy"] = spec.Branches.Count == 0 ? null : new JsonObject { ["protected_branches"] = false, ["custom_branch_policies"] = true },
        };
        var path = api.RepoPath($"environments/{Uri.EscapeDataString(spec.Name)}");
        await api.CallAsync($"saving the environment {spec.Name}", Permission, () => api.Rest.Put<GitHubEnvironment>(path, body.ToJsonString()), cancellation);
        var existing = spec.Branches.Count == 0 ? [] : await BranchPoliciesAsync(spec.Name, cancellation);
        foreach (var branch in spec.Branches.Except(existing))
            await api.CallAsync($"limiting {spec.Name}'s deployments to {branch}", Permission, () =>
                api.Rest.Post<BranchPolicy>(api.RepoPath($"environments/{Uri.EscapeDataString(spec.Name)}/deployment-branch-policies"),
                    new JsonObject { ["name"] = branch, ["type"] = "branch" }.ToJsonString(), AcceptsJson, JsonType), cancellation);
    }

    private async Task<IReadOnlyList<string>> BranchPoliciesAsync(string environment, CancellationToken cancellation)
    {
        var policies = await api.CallAsync($"reading the deployment branch policies of {environment}", Permission, () =>
            api.Rest.Get<BranchPolicyList>(api.RepoPath($"environments/{Uri.EscapeDataString(environment)}/deployment-branch-policies"),
                new Dictionary<string, string> { ["per_page"] = "100" }), cancellation);
        return (policies.BranchPolicies ?? []).Select(policy => policy.Name).ToList();
    }

    private const string AcceptsJson = "application/vnd.github+json";

    // A 403 on rulesets is either the plan, which the message names, or the token.
    private async Task<T> RulesetCallAsync<T>(string what, Func<Task<T>> call, CancellationToken cancellation)
    {
        try
        {
            return await api.CallAsync(what, Permission, async () =>
            {
                try
                {
                    return await call();
                }
                catch (ForbiddenException forbidden) when (forbidden.Message.Contains("Upgrade to GitHub Pro", StringComparison.OrdinalIgnoreCase))
                {
                    throw new PlanLacksRulesets(forbidden.Message);
                }
            }, cancellation);
        }
        catch (PlanLacksRulesets lacking)
        {
            throw new BuildFailure(
                $"{what}: GitHub does not offer rulesets for {api.Repository} on its plan ({lacking.Message}). " +
                "Make the repository public, or move it to GitHub Pro, Team or Enterprise, then run ConfigureRepository again; release/* cannot be protected by a wildcard otherwise.");
        }
    }

    private sealed class PlanLacksRulesets(string message) : Exception(message);

    public sealed class Ruleset
    {
        public long Id { get; set; }
        public string Name { get; set; } = "";
        public string Enforcement { get; set; } = "";
        public RulesetConditions? Conditions { get; set; }
        public IReadOnlyList<BranchRules.BranchRule>? Rules { get; set; }
    }

    public sealed class RulesetConditions
    {
        public RefNameCondition? RefName { get; set; }
    }

    public sealed class RefNameCondition
    {
        public IReadOnlyList<string>? Include { get; set; }
    }

    public sealed class GitHubEnvironment
    {
        public string Name { get; set; } = "";
        public IReadOnlyList<ProtectionRule>? ProtectionRules { get; set; }
        public BranchPolicySetting? DeploymentBranchPolicy { get; set; }
    }

    public sealed class ProtectionRule
    {
        public string Type { get; set; } = "";
        public IReadOnlyList<EnvironmentReviewer>? Reviewers { get; set; }
    }

    public sealed class EnvironmentReviewer
    {
        public ReviewerAccount? Reviewer { get; set; }
    }

    public sealed class ReviewerAccount
    {
        public long Id { get; set; }
        public string? Login { get; set; }
    }

    public sealed class BranchPolicySetting
    {
        public bool ProtectedBranches { get; set; }
        public bool CustomBranchPolicies { get; set; }
    }

    public sealed class BranchPolicyList
    {
        public IReadOnlyList<BranchPolicy>? BranchPolicies { get; set; }
    }

    public sealed class BranchPolicy
    {
        public string Name { get; set; } = "";
    }
}
