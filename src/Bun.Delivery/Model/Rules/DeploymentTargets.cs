using System.Runtime.CompilerServices;
using Bun.Delivery.Model.Context;
using Bun.Pipeline.Targets;

namespace Bun.Delivery.Model.Rules;

public static class DeploymentTargets
{
    /// <summary>
    /// Makes a target the deployment to <paramref name="environment"/>: its <c>--help</c> description and its guard
    /// both come from the environments table, so neither can drift from it. The context is read only when the guard
    /// is checked: targets are also read without one, e.g. to generate the parameters schema.
    /// </summary>
    public static ITargetDefinition DeploysTo(this ITargetDefinition target, DeliveryEnvironment environment, Func<DeliveryContext> context,
        [CallerMemberName] string name = "") =>
        target
            .Description($"Deploys to {environment.Summary}.")
            .Guard(() => Guards.Deploy(name, environment, context()));
}
