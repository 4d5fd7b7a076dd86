using Bun.Delivery.Model.Branches;
using Bun.Delivery.Model.Rules;
using Bun.Pipeline.Parameters;
using Bun.Pipeline.Workflows;

namespace Bun.Delivery.Orchestration.Workflows;

/// <summary>
/// The parts of a workflow the delivery model already knows: which branches push, the GitHub environment of each row of
/// the environments table, one concurrency group per environment, and dispatch choices from the table and from enums.
/// </summary>
public static class DeliveryWorkflows
{
    /// <summary>The repository or environment variable a GitHub environment's address is read from (environment-scoped).</summary>
    public const string UrlVariable = "APP_URL";

    /// <summary>The branches whose pushes run CI: those whose images are pushed (<see cref="CiRules.ImageBranches"/>), as GitHub globs.</summary>
    public static IReadOnlyList<string> PushedBranches => CiRules.ImageBranches.Select(Glob).ToList();

    /// <summary><c>main</c>, <c>feature/**</c>: a kind's pattern as a GitHub branch filter, nested names included.</summary>
    public static string Glob(BranchKind kind) => kind switch
    {
        BranchKind.Main => "main",
        BranchKind.Other => throw new ArgumentException("Other branches have no pattern: they are everything the others are not.", nameof(kind)),
        _ => kind.Pattern() + "*",
    };

    /// <summary>The GitHub environment of a row of the table, so GitHub can gate it (reviewers for prod) and show its address.</summary>
    public static GitHubEnvironment GitHubEnvironment(DeliveryEnvironment environment) => GitHubEnvironment(environment.Name);

    /// <summary>A GitHub environment by name or by an expression such as <c>${{ inputs.environment }}</c>.</summary>
    public static GitHubEnvironment GitHubEnvironment(string name) => new(name, $"${{{{ vars.{UrlVariable} }}}}");

    /// <summary>One group per environment that never cancels a deployment in progress: two deploys to one environment never overlap.</summary>
    public static Concurrency DeployConcurrency(DeliveryEnvironment environment) => DeployConcurrency(environment.Name);

    public static Concurrency DeployConcurrency(string name) => new($"deploy-{name}", CancelInProgress: false);

    /// <summary>A required <c>choice</c> of the deployed environments of the build's table.</summary>
    public static DispatchInput EnvironmentInput(string name, string description, string parameter, EnvironmentTable table) =>
        new(name, description, parameter) { Required = true, Choices = table.Deployed.Select(environment => environment.Name).ToList() };

    /// <summary>A required <c>choice</c> of an enum's values as the command line writes them, defaulting to <paramref name="default"/>.</summary>
    public static DispatchInput ChoiceOf<TEnum>(string name, string description, string parameter, TEnum @default) where TEnum : struct, Enum =>
        new(name, description, parameter)
        {
            Required = true,
            Choices = ValueConverter.EnumNames(typeof(TEnum)).ToList(),
            Default = ValueConverter.EnumNames(typeof(TEnum)).ElementAt(Array.IndexOf(Enum.GetValues<TEnum>(), @default)),
        };
}
