using Bun.Delivery.Integrations.GitHub;
using Bun.Delivery.Model.Branches;
using Bun.Delivery.Model.Rules;
using Bun.Delivery.Orchestration.GitHub;
using Bun.Pipeline.Failures;
using Bun.Pipeline.Output;

namespace Bun.Delivery.Orchestration.Repository;

/// <summary>Whether a pull request into main needs an approving review, or only should have one (the seed's rule).</summary>
public enum MainReview
{
    Recommended,
    Required,
}

/// <summary>What ConfigureRepository is told: the checks CI reports, main's review rule, and the logins that approve gated deployments.</summary>
public sealed record RepositoryRules(IReadOnlyList<string> Checks, MainReview MainReview, IReadOnlyList<string> Reviewers);

/// <summary>
/// ConfigureRepository: the seed's CI rules and the environments table as GitHub settings. main gets a ruleset with
/// the required checks and a pull request whose approval is recommended (0 required) or required; release/* gets one
/// with the checks and an approval required (a ruleset, since classic protection takes no wildcard); every deployed
/// environment exists, and one gated by approvals gets the reviewers and a custom deployment branch policy for the
/// branches the table lets deploy to it. Each setting is compared with what GitHub has and written only when it
/// differs, so a second run changes nothing; with dry run the differences are printed and nothing is written.
/// </summary>
public static class RepositoryConfiguration
{
    public const string MainRuleset = "main";
    public const string ReleaseRuleset = "release branches";

    public static (IReadOnlyList<RulesetSpec> Rulesets, IReadOnlyList<EnvironmentSpec> Environments) Desired(
        RepositoryRules rules, IReadOnlyList<DeliveryEnvironment> environments)
    {
        if (rules.Checks.Count == 0)
            throw BuildFailure.BadInput("ConfigureRepository needs the checks CI reports, by name (--required-checks), to require them on main and release/*.");
        var gated = environments.Where(environment => environment.Gate == Gate.ApprovalsAndChecks).ToList();
        if (gated.Count > 0 && rules.Reviewers.Count == 0)
            throw BuildFailure.BadInput(
                $"{string.Join(", ", gated.Select(environment => environment.Name))} needs required reviewers: give their GitHub logins with --prod-reviewers, e.g. --prod-reviewers alice bob.");
        return (
            [
                new RulesetSpec(MainRuleset, "refs/heads/main", rules.Checks, rules.MainReview == MainReview.Required ? 1 : 0),
                new RulesetSpec(ReleaseRuleset, $"refs/heads/{BranchKind.Release.Pattern()}", rules.Checks, 1),
            ],
            environments.Select(environment => environment.Gate == Gate.ApprovalsAndChecks
                    ? new EnvironmentSpec(environment.Name, rules.Reviewers, environment.Receives.Select(kind => kind.Pattern()).ToList())
                    : new EnvironmentSpec(environment.Name, [], []))
                .ToList());
    }

    /// <summary>Applies (or with <paramref name="dryRun"/> only prints) the differences; returns how many settings differ.</summary>
    public static async Task<int> ApplyAsync(GitHubAccess access, RepositoryRules rules, IReadOnlyList<DeliveryEnvironment> environments, bool dryRun,
        BuildOutput output, CancellationToken cancellation)
    {
        var (rulesets, wanted) = Desired(rules, environments);
        var api = await access.OpenAsync("ConfigureRepository", "administration: write", output, cancellation);
        var settings = new RepositorySettings(api);
        var reviewerIds = await settings.ReviewerIdsAsync(wanted.SelectMany(environment => environment.Reviewers), cancellation);
        var changes = 0;
        foreach (var ruleset in rulesets)
        {
            var current = await settings.FindRulesetAsync(ruleset.Name, cancellation);
            if (!Differs($"ruleset '{ruleset.Name}'", current?.Spec.Describe(), ruleset.Describe(), dryRun, output))
                continue;
            changes++;
            if (!dryRun)
                await settings.SaveRulesetAsync(current?.Id, ruleset, cancellation);
        }

        foreach (var environment in wanted)
        {
            var current = await settings.FindEnvironmentAsync(environment.Name, cancellation);
            if (!Differs($"environment {environment.Name}", current?.Describe(), environment.Describe(), dryRun, output))
                continue;
            changes++;
            if (!dryRun)
                await settings.SaveEnvironmentAsync(environment, reviewerIds, cancellation);
        }

        output.Success(changes == 0 ? $"{api.Repository} is configured as the rules say: nothing to change."
            : dryRun ? $"Dry run: {changes} setting{(changes == 1 ? "" : "s")} of {api.Repository} would change; nothing was written."
            : $"Configured {changes} setting{(changes == 1 ? "" : "s")} of {api.Repository}.");
        return changes;
    }

    private static bool Differs(string what, string? current, string wanted, bool dryRun, BuildOutput output)
    {
        if (current == wanted)
        {
            output.Info($"  = {what}: {wanted}");
            return false;
        }

        var verb = dryRun ? "would be" : "is now";
        output.Info(current is null ? $"  + {what} {(dryRun ? "would be created" : "created")}: {wanted}" : $"  ~ {what}: was {current}; {verb} {wanted}");
        return true;
    }
}
