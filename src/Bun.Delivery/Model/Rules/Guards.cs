using Bun.Delivery.Model.Branches;
using Bun.Delivery.Model.Context;

namespace Bun.Delivery.Model.Rules;

/// <summary>
/// The rules that refuse a target invoked where the delivery model forbids it. Each returns the broken rule as a
/// message naming the target, the rule and this context, or null when the target may run. Each reads the build's table.
/// </summary>
public static class Guards
{
    /// <summary>A deployment needs a pushed image of a branch the environment receives.</summary>
    public static string? Deploy(string target, DeliveryEnvironment environment, DeliveryContext context, EnvironmentTable table) =>
        NotForPullRequests(target, context) ?? BranchRule(target, environment, context, table);

    public static string? PushImage(string target, DeliveryContext context) =>
        NotForPullRequests(target, context) ?? (CiRules.ImageBranches.Contains(context.Kind)
            ? null
            : $"{target} runs only on {BranchKinds.Describe(CiRules.ImageBranches)}; this is {context.Branch}. Other branches compile and test only.");

    public static string? CleanupFeatureImages(string target, DeliveryContext context) =>
        context.IsMergedFeatureOrFix
            ? null
            : $"{target} runs only when a pull request from a feature/* or fix/* branch is closed as merged; this is {context}. "
              + "To clean up by hand: --event pull_request_closed --merged --head <branch>.";

    /// <summary>Only deployed environments have deployments to go back to.</summary>
    public static string? Rollback(string target, DeliveryEnvironment? environment, EnvironmentTable table) =>
        environment is null || environment.Hosting == Hosting.Cluster
            ? null
            : $"{target} works on {Environments.Describe(table.Deployed)}; {environment} is {environment.Purpose}, with no deployments to roll back.";

    /// <summary>Only deployed environments have a deployment history in the GitOps repository.</summary>
    public static string? History(string target, DeliveryEnvironment? environment, EnvironmentTable table) =>
        environment is null || environment.Hosting == Hosting.Cluster
            ? null
            : $"{target} works on {Environments.Describe(table.Deployed)}; {environment} is {environment.Purpose}, which is not deployed through GitOps.";

    /// <summary>Only deployed environments have a deployment to verify through Argo CD.</summary>
    public static string? Verify(string target, DeliveryEnvironment? environment, EnvironmentTable table) =>
        environment is null || environment.Hosting == Hosting.Cluster
            ? null
            : $"{target} works on {Environments.Describe(table.Deployed)}; {environment} is {environment.Purpose}, with no Argo CD application to verify.";

    /// <summary>An environment's schema changes come from the code it receives.</summary>
    public static string? MigrateDatabase(string target, DeliveryEnvironment? environment, DeliveryContext context, EnvironmentTable table) =>
        environment is null ? null : BranchRule($"{target} --environment {environment}", environment, context, table);

    public static string? ResetDummyDatabase(string target, DeliveryEnvironment environment, DeliveryContext context, EnvironmentTable table) =>
        environment.Database == DatabaseKind.Dummy
            ? BranchRule($"{target} --environment {environment}", environment, context, table)
            : $"{target} resets only dummy databases; {environment}'s database is real. Environments with a dummy database: "
              + $"{Environments.Describe(table.WithDummyDatabase)}.";

    private static string? NotForPullRequests(string target, DeliveryContext context) =>
        context.IsPullRequest
            ? $"{target} never runs for a pull request; this is {context}. A pull request's image is built, not pushed or deployed."
            : null;

    private static string? BranchRule(string target, DeliveryEnvironment environment, DeliveryContext context, EnvironmentTable table)
    {
        if (environment.Accepts(context.Kind))
            return null;
        var destinations = table.Deployed.Where(candidate => candidate.Accepts(context.Kind)).Select(candidate => candidate.Name).ToList();
        var hint = destinations.Count == 0
            ? $"deploys nowhere: only {BranchKinds.Describe(CiRules.ImageBranches)} deploy"
            : $"may deploy to {Wording.OneOf(destinations)}";
        return $"{target} runs only on {BranchKinds.Describe(environment.Receives)}; this is {context.Branch}, which {hint}.";
    }
}
