using System.Text.Json;
using System.Text.Json.Nodes;
using Bun.Delivery.Integrations.Argo.Generated;

namespace Bun.Delivery.Integrations.Argo;

// Live resources and resource actions: reading a Rollout, listing and running abort, retry, promote-full.
public sealed partial class ArgoCd
{
    // Set once actions/v2 answered as missing: this server is older than 3.2, so later actions go to the old endpoint at once.
    private bool _actionsV2Missing;

    /// <summary>The live object of one resource of the application, from Argo CD's resource API.</summary>
    public async Task<JsonObject> ReadLiveAsync(string app, ArgoResource resource, CancellationToken cancellation)
    {
        var answer = await ForResourceAsync(app, resource, $"read the live {resource} of {app}",
            (client, token) => client.GetResourceAsync(app, resource.Namespace, resource.Name, resource.Version, resource.Group, resource.Kind, _settings.Project, token), cancellation);
        try
        {
            return JsonNode.Parse(answer.Manifest ?? "") as JsonObject
                   ?? throw new ArgoCdException($"Argo CD answered the live {resource} of {app} without a manifest.");
        }
        catch (JsonException invalid)
        {
            throw new ArgoCdException($"Argo CD answered the live {resource} of {app} with a manifest that is not JSON: {invalid.Message}");
        }
    }

    /// <summary>A Rollout's live status: phase, abort, step, and Argo CD's health of it.</summary>
    public async Task<RolloutStatus> ReadRolloutAsync(string app, ArgoResource rollout, CancellationToken cancellation) =>
        RolloutStatus.From(await ReadLiveAsync(app, rollout, cancellation));

    /// <summary>The Rollout named <paramref name="name"/> in the application's resource tree, or null when it has none (a plain Deployment).</summary>
    public async Task<ArgoResource?> FindRolloutAsync(string app, string name, CancellationToken cancellation)
    {
        var tree = await CallAsync($"read the resource tree of {app}", app, (client, token) => client.ResourceTreeAsync(app, token), cancellation);
        return (tree.Nodes ?? []).FirstOrDefault(node => node is { Kind: "Rollout", Group: "argoproj.io" } && node.Name == name) is { } rollout
            ? ArgoResource.Rollout(rollout.Namespace ?? "", name)
            : null;
    }

    /// <summary>The actions Argo CD offers for the resource now.</summary>
    public async Task<IReadOnlyList<ArgoResourceAction>> ListActionsAsync(string app, ArgoResource resource, CancellationToken cancellation)
    {
        var list = await ForResourceAsync(app, resource, $"list the actions of {resource} in {app}",
            (client, token) => client.ListResourceActionsAsync(app, resource.Namespace, resource.Name, resource.Version, resource.Group, resource.Kind, _settings.Project, token), cancellation);
        return (list.Actions ?? []).Where(action => !string.IsNullOrEmpty(action.Name)).Select(action => new ArgoResourceAction(action.Name!, action.Disabled == true)).ToList();
    }

    /// <summary>
    /// Runs <paramref name="action"/> on the resource once Argo CD lists it as enabled: through <c>actions/v2</c>, or,
    /// when the server answers that endpoint 404, 405 or 501 (before 3.2), through the older endpoint.
    /// </summary>
    public async Task<ArgoActionEndpoint> RunActionAsync(string app, ArgoResource resource, string action, CancellationToken cancellation)
    {
        var offered = await ListActionsAsync(app, resource, cancellation);
        var wanted = offered.FirstOrDefault(candidate => candidate.Name == action);
        if (wanted is null)
            throw new ArgoCdActionRefusedException(
                $"Could not run {action} on {resource} in {app}: Argo CD offers no such action; it offers {Describe(offered)}.");
        if (wanted.Disabled)
            throw new ArgoCdActionRefusedException(
                $"Could not run {action} on {resource} in {app}: Argo CD has the action disabled, as it does not apply to the resource's current state " +
                $"(enabled now: {Describe(offered.Where(candidate => !candidate.Disabled).ToList())}).");

        try
        {
            return await RunEnabledActionAsync(app, resource, action, cancellation);
        }
        catch (ArgoCdException refused) when (refused.HttpStatus is 400 or 403 && refused is not ArgoCdActionRefusedException)
        {
            throw new ArgoCdActionRefusedException(refused.HttpStatus == 403
                ? $"Could not run {action} on {resource} in {app}: Argo CD answered 403, so this account may not. Grant it the RBAC permission action/{resource.Group}/{resource.Kind}/{action} for the application's project."
                : refused.Message, refused.GrpcCode, refused.HttpStatus);
        }
    }

    private async Task<ArgoActionEndpoint> RunEnabledActionAsync(string app, ArgoResource resource, string action, CancellationToken cancellation)
    {
        var what = $"run {action} on {resource} in {app}";
        if (!_actionsV2Missing)
        {
            try
            {
                await CallAsync(what, app, (client, token) => client.RunResourceActionV2Async(app, new ResourceActionRunRequestV2
                {
                    Name = app, Namespace = resource.Namespace, ResourceName = resource.Name, Version = resource.Version,
                    Group = resource.Group, Kind = resource.Kind, Action = action, Project = _settings.Project,
                }, token), cancellation);
                _output.Info($"Argo CD: ran {action} on {resource} in {app}.");
                return ArgoActionEndpoint.V2;
            }
            catch (ArgoCdException missing) when (missing.HttpStatus is 404 or 405 or 501)
            {
                _actionsV2Missing = true;
            }
        }

        await CallAsync(what, app, (client, token) =>
            client.RunResourceActionAsync(app, action, resource.Namespace, resource.Name, resource.Version, resource.Group, resource.Kind, _settings.Project, token), cancellation);
        _output.Info($"Argo CD: ran {action} on {resource} in {app} (through the endpoint of Argo CD before 3.2).");
        return ArgoActionEndpoint.Legacy;
    }

    // A resource the application does not have is told apart from an application that does not exist.
    private async Task<T> ForResourceAsync<T>(string app, ArgoResource resource, string what, Func<ApplicationClient, CancellationToken, Task<T>> call, CancellationToken cancellation)
    {
        try
        {
            return await CallAsync(what, app, call, cancellation);
        }
        catch (ArgoCdException failure) when (failure.HttpStatus is 400 or 404)
        {
            await GetAsync(app, cancellation);
            if (failure.HttpStatus == 400 && !failure.Message.Contains("not found as part of application", StringComparison.OrdinalIgnoreCase))
                throw;
            var tree = await CallAsync($"read the resource tree of {app}", app, (client, token) => client.ResourceTreeAsync(app, token), cancellation);
            var known = (tree.Nodes ?? []).Where(node => node.Kind is not ("Pod" or "ReplicaSet")).Select(node => $"{node.Kind} {node.Namespace}/{node.Name}").Distinct().Order().ToList();
            throw new ArgoCdResourceNotFoundException(
                $"Could not {what}: the application {app} has no {resource}. It has: {(known.Count == 0 ? "no resources" : string.Join(", ", known))}. " +
                "Check that the environment's overlay renders it (deploy/overlays/<environment>).");
        }
    }

    private static string Describe(IReadOnlyList<ArgoResourceAction> actions) =>
        actions.Count == 0 ? "none" : string.Join(", ", actions.Select(action => action.Name));
}
