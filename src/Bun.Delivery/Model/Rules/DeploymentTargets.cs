using System.Runtime.CompilerServices;
using Bun.Delivery.Model.Context;
using Bun.Pipeline.Failures;
using Bun.Pipeline.Targets;

namespace Bun.Delivery.Model.Rules;

public static class DeploymentTargets
{
    /// <summary>
    /// Makes a target the deployment to <paramref name="environment"/>, a row of the build's <paramref name="table"/>: its
    /// <c>--help</c> description and its guard both come from the table, so neither can drift from it. The context is read
    /// only when the guard is checked: targets are also read without one, e.g. to generate the parameters schema.
    /// </summary>
    public static ITargetDefinition DeploysTo(this ITargetDefinition target, DeliveryEnvironment environment, EnvironmentTable table,
        Func<DeliveryContext> context, [CallerMemberName] string name = "") =>
        table.Contains(environment)
            ? target
                .Description($"Deploys to {environment.Summary}.")
                .Guard(() => Guards.Deploy(name, environment, context(), table))
            : throw BuildFailure.BadInput(
                $"{name} deploys to {environment}, which the environments table does not have ({Environments.Describe(table.All)}): add the row or remove the target.");
}
