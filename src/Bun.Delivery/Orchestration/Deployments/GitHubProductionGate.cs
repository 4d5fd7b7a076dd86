using Bun.Delivery.Integrations.GitHub;
using Bun.Delivery.Orchestration.GitHub;
using Bun.Pipeline.Failures;
using Bun.Pipeline.Output;

namespace Bun.Delivery.Orchestration.Deployments;

/// <summary>What the gate requires where the release branch's own rules say nothing: checks by name, and approving reviews per pull request.</summary>
public sealed record GateFallback(IReadOnlyList<string> Checks, int Approvals);

/// <summary>
/// PromoteProd's gate on GitHub (DESIGN §9 step 2), run once stage is known to run the release HEAD and before anything
/// changes: the required checks come from the release branch's rules (rulesets and classic protection), else from
/// <see cref="GateFallback"/>; a branch that requires none and no fallback is a refusal that says what to configure.
/// </summary>
public sealed class GitHubProductionGate(GitHubAccess access, GateFallback fallback, BuildOutput output)
{
    /// <summary>Release branches are cut from main: what entered one since is what main does not have.</summary>
    public const string CutFrom = "main";

    public async Task CheckAsync(Promotion promotion, CancellationToken cancellation)
    {
        var api = await access.OpenAsync("PromoteProd's gate (the required checks and reviews on GitHub)",
            "contents: read, checks: read, statuses: read and pull-requests: read", output, cancellation);
        var branch = promotion.SourceRef;
        var rules = await new BranchRules(api).ReadAsync(branch, cancellation);
        var checks = rules.Checks.Count > 0 ? rules.Checks : fallback.Checks;
        if (checks.Count == 0)
            throw new BuildFailure(
                $"PromoteProd refused: no rule of {branch} requires a check (no ruleset or branch protection names one) and no --required-checks is given, " +
                "so nothing says the release is tested. Run ConfigureRepository (a ruleset for release/*), or pass --required-checks Ci.");
        if (rules.Checks.Count == 0)
            output.Notice($"No rule of {branch} requires a check: the gate requires {string.Join(", ", checks)} (--required-checks).");
        var approvals = rules.Approvals ?? fallback.Approvals;

        var problems = await new ProductionGate(api).ProblemsAsync(branch, promotion.ReleaseHead, CutFrom, checks, approvals, cancellation);
        if (problems.Count > 0)
            throw new BuildFailure(
                $"PromoteProd refused: {branch} at {promotion.ReleaseHead[..7]} is not ready for prod:\n" +
                string.Join("\n", problems.Select(problem => $"  - {problem}")) +
                "\nFix these on GitHub (re-run or fix the check, get the review) and run PromoteProd again.");
        output.Success(
            $"Production gate passed: {string.Join(", ", checks)} green on {promotion.ReleaseHead[..7]}; every change since {branch} was cut came through a pull request " +
            $"with {approvals} approving review{(approvals == 1 ? "" : "s")} and none requesting changes" +
            (rules.Sources.Count > 0 ? $" (rules: {string.Join(", ", rules.Sources)})." : "."));
    }
}
