using System.Text.RegularExpressions;
using Bun.Delivery.Model.Branches;
using Bun.Pipeline.Failures;
using Bun.Pipeline.Planning;

namespace Bun.Delivery.Model.Rules;

/// <summary>
/// An environments table: the rows a build delivers to. The guards, <c>--environment</c>, <c>--help</c>, the workflow
/// choices and promotion all read the build's table (<see cref="DeliveryBuild.EnvironmentTable"/>), so a repository that
/// changes its rows changes them everywhere. A table that contradicts itself is refused when it is made.
/// </summary>
public sealed partial class EnvironmentTable
{
    public EnvironmentTable(IEnumerable<DeliveryEnvironment> rows)
    {
        All = rows.ToList();
        if (Problems().FirstOrDefault() is { } problem)
            throw BuildFailure.BadInput($"The environments table is not valid: {problem}");
        Deployed = All.Where(environment => environment.Hosting == Hosting.Cluster).ToList();
        WithDummyDatabase = All.Where(environment => environment.Database == DatabaseKind.Dummy).ToList();
    }

    public IReadOnlyList<DeliveryEnvironment> All { get; }

    /// <summary>The environments that deployments, rollbacks and GitHub environments exist for.</summary>
    public IReadOnlyList<DeliveryEnvironment> Deployed { get; }

    /// <summary>The environments whose database ResetDummyDatabase may reset.</summary>
    public IReadOnlyList<DeliveryEnvironment> WithDummyDatabase { get; }

    public bool Contains(DeliveryEnvironment environment) => All.Contains(environment);

    /// <summary>The environment named by <c>--environment</c>, ignoring case.</summary>
    public DeliveryEnvironment Find(string name) =>
        Named(name) ?? throw BuildFailure.BadInput(
            $"Unknown environment '{name}' (--environment); expected {Environments.Describe(All)}.{ClosestMatches.Suggest(name, All.Select(environment => environment.Name))}");

    /// <summary>The environment whose verified image a promotion to <paramref name="promoted"/> takes (its <c>PromotedFrom</c>).</summary>
    public DeliveryEnvironment PromotionSource(DeliveryEnvironment promoted) =>
        promoted.PromotedFrom is { } source && Contains(promoted)
            ? Named(source)!
            : throw BuildFailure.BadInput($"{promoted} is not promoted from another environment in the environments table; deploy to it instead.");

    private DeliveryEnvironment? Named(string name) =>
        All.FirstOrDefault(environment => string.Equals(environment.Name, name, StringComparison.OrdinalIgnoreCase));

    // The names become GitHub environments, Argo CD applications (<app>-<env>), GitOps folders and concurrency groups.
    [GeneratedRegex("^[a-z][a-z0-9-]{0,39}$")]
    private static partial Regex UsableName();

    private IEnumerable<string> Problems()
    {
        if (All.Count == 0)
            yield return "it has no rows.";
        foreach (var environment in All)
        {
            if (!UsableName().IsMatch(environment.Name ?? ""))
                yield return $"'{environment.Name}' is not a usable name: lowercase letters, digits and '-', starting with a letter, at most 40 characters "
                             + "(it names a GitHub environment, an Argo CD application and a GitOps folder).";
            if (string.IsNullOrWhiteSpace(environment.Purpose))
                yield return $"{environment} has no purpose; say what it is for, --help quotes it.";
            if (environment.Receives.Count == 0)
                yield return $"{environment} receives no branch kind.";
            if (environment.AutomaticOnPushTo is { } kind && !environment.Accepts(kind))
                yield return $"{environment} deploys automatically on push to {kind.Pattern()}, which it does not receive.";
            if (environment.AutomaticOnPushTo is not null && environment.Hosting != Hosting.Cluster)
                yield return $"{environment} deploys automatically on push, but only cluster environments are deployed.";
            if (environment.PromotedFrom is { } source)
            {
                var from = Named(source);
                if (environment.Hosting != Hosting.Cluster || from is null || from.Hosting != Hosting.Cluster || from == environment)
                    yield return $"{environment} is promoted from '{source}', which must be another cluster environment of the table, and {environment} a cluster environment itself.";
            }
        }

        foreach (var duplicate in All.GroupBy(environment => environment.Name, StringComparer.OrdinalIgnoreCase).Where(group => group.Count() > 1))
            yield return $"'{duplicate.Key}' names {duplicate.Count()} rows; each environment has one.";
        if (All.Count > 0 && All.All(environment => environment.Hosting != Hosting.Cluster))
            yield return "no environment is hosted in a cluster, so there is nowhere to deploy.";
    }
}
