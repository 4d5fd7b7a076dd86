using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Bun.Delivery.Integrations.Argo.Generated;
using Bun.Pipeline.Failures;
using Bun.Pipeline.Output;
using Polly;
using Polly.Timeout;

namespace Bun.Delivery.Integrations.Argo;

/// <summary>Whether a revision Argo CD reports deploys what Bun pushed (the pushed commit, or a later one that left the overlay alone).</summary>
public delegate Task<bool> RevisionMatch(string revision, CancellationToken cancellation);

/// <summary>
/// The thin typed edge around the generated Argo CD client: sync, wait until healthy, roll back. It speaks in
/// applications, revisions and verdicts; errors arrive as the typed exceptions of <see cref="ArgoCdException"/>.
/// </summary>
public sealed partial class ArgoCd : IDisposable
{
    private readonly ArgoCdSettings _settings;
    private readonly BuildOutput _output;
    private readonly HttpClient _http;
    private readonly ApplicationClient _applications;
    private readonly ResiliencePipeline _whileBusy;

    private ArgoCd(ArgoCdSettings settings, BuildOutput output, HttpClient http)
    {
        _settings = settings;
        _output = output;
        _http = http;
        _applications = new ApplicationClient(http);
        _whileBusy = ArgoCdPolicies.WhileBusy(settings);
    }

    /// <summary>Connects with the bearer token, or logs in with the username and password to get a session token.</summary>
    public static async Task<ArgoCd> ConnectAsync(ArgoCdSettings settings, BuildOutput output, CancellationToken cancellation)
    {
        output.RegisterSecret(settings.Token);
        output.RegisterSecret(settings.Password);
        var server = settings.Server.AbsoluteUri.EndsWith('/') ? settings.Server : new Uri(settings.Server.AbsoluteUri + "/");
        // The transport policy owns timeouts, per attempt.
        var http = ArgoCdPolicies.Client(settings);
        http.BaseAddress = server;
        try
        {
            var token = settings.Token ?? await LogInAsync(settings, http, cancellation);
            output.RegisterSecret(token);
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return new ArgoCd(settings, output, http);
        }
        catch
        {
            http.Dispose();
            throw;
        }
    }

    public async Task<ArgoApplication> GetAsync(string app, CancellationToken cancellation, bool refresh = false)
    {
        try
        {
            var application = await CallAsync($"read the Argo CD application {app}", app,
                (client, token) => client.GetAsync(app, refresh ? "normal" : null, Projects, token), cancellation);
            return ArgoApplication.From(application);
        }
        catch (ArgoCdApplicationNotFoundException missing)
        {
            var known = await ListAsync(cancellation);
            throw new ArgoCdApplicationNotFoundException(
                $"{missing.Message}\nApplications this account sees: {(known.Count == 0 ? "none" : string.Join(", ", known))}.", missing.GrpcCode, missing.HttpStatus);
        }
    }

    public async Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellation)
    {
        var list = await CallAsync("list the Argo CD applications", null, (client, token) => client.ListAsync(null, null, Projects, token), cancellation);
        return (list.Items ?? []).Select(item => item.Metadata?.Name ?? "").Where(name => name.Length > 0).Order().ToList();
    }

    /// <summary>
    /// Fails unless a sync of the application could start now: it exists, the credentials are good and no sync window
    /// forbids it. Checked before anything is written to git.
    /// </summary>
    public async Task<ArgoApplication> EnsureCanSyncAsync(string app, CancellationToken cancellation)
    {
        var application = await GetAsync(app, cancellation);
        var windows = await CallAsync($"read the sync windows of {app}", app, (client, token) => client.SyncWindowsAsync(app, token), cancellation);
        return windows.CanSync != false
            ? application
            : throw new ArgoCdSyncWindowException(
                $"Could not sync {app}: a sync window forbids it now ({Describe(windows.ActiveWindows)}). " +
                "Wait for the window to end, or ask an Argo CD admin to allow manual syncs in it.", null, null);
    }

    /// <summary>
    /// Makes the application deploy <paramref name="revision"/>: a sync to it, or a refresh for an auto-sync
    /// application, which Argo CD refuses to sync to anything but its target revision and which picks up git itself.
    /// </summary>
    public async Task SyncAsync(string app, string revision, CancellationToken cancellation)
    {
        var application = await EnsureCanSyncAsync(app, cancellation);
        if (application.AutoSync)
        {
            await GetAsync(app, cancellation, refresh: true);
            _output.Info($"Argo CD: asked {app} to refresh; auto-sync deploys {ArgoApplication.Short(revision)}.");
            return;
        }

        await _whileBusy.ExecuteAsync(async token => await CallAsync($"sync {app} to {ArgoApplication.Short(revision)}", app,
            (client, inner) => client.SyncAsync(app, new ApplicationSyncRequest { Name = app, Revision = revision }, inner), token), cancellation);
        _output.Info($"Argo CD: syncing {app} to {ArgoApplication.Short(revision)}.");
    }

    /// <summary>
    /// Turns auto-sync off with a merge patch and reads the application again; returns whether it was on. Argo CD before
    /// 3.1 has no <c>automated.enabled</c> and drops it, leaving auto-sync on: that is refused, since a rollback would be
    /// undone (or refused) while auto-sync runs.
    /// </summary>
    public async Task<bool> DisableAutoSyncAsync(string app, CancellationToken cancellation)
    {
        if (!(await GetAsync(app, cancellation)).AutoSync)
            return false;
        var patch = new JsonObject { ["spec"] = new JsonObject { ["syncPolicy"] = new JsonObject { ["automated"] = new JsonObject { ["enabled"] = false } } } };
        await CallAsync($"turn off auto-sync of {app}", app,
            (client, token) => client.PatchAsync(app, new ApplicationPatchRequest { Name = app, Patch = patch.ToJsonString(), PatchType = "merge" }, token), cancellation);
        if ((await GetAsync(app, cancellation)).AutoSync)
            throw new ArgoCdAutoSyncEnabledException(
                $"Argo CD at {_settings.Server} still has auto-sync on for {app} after the patch {patch.ToJsonString()}: servers before 3.1 ignore " +
                $"'enabled'. Nothing was rolled back. Turn auto-sync off by hand (argocd app set {app} --sync-policy none), then run again.", null, null);
        _output.Warning($"Argo CD: auto-sync of {app} is now OFF.");
        return true;
    }

    /// <summary>Argo CD's own rollback to <paramref name="entry"/> of the application's history.</summary>
    public async Task RollbackToAsync(string app, ArgoHistoryEntry entry, CancellationToken cancellation)
    {
        await _whileBusy.ExecuteAsync(async token => await CallAsync($"roll back {app} to history entry {entry.Id}", app,
            (client, inner) => client.RollbackAsync(app, new ApplicationRollbackRequest { Name = app, Id = entry.Id }, inner), token), cancellation);
        _output.Info($"Argo CD: rolling {app} back to history entry {entry.Id} ({ArgoApplication.Short(entry.Revision)}).");
    }

    public async Task TerminateOperationAsync(string app, CancellationToken cancellation)
    {
        await CallAsync($"stop the running operation of {app}", app, (client, token) => client.TerminateOperationAsync(app, token), cancellation);
        _output.Warning($"Argo CD: stopped the running operation of {app}.");
    }

    /// <summary>The resources of the application that are not Healthy, from the resource tree.</summary>
    public async Task<IReadOnlyList<ResourceOutcome>> UnhealthyResourcesAsync(string app, CancellationToken cancellation)
    {
        var tree = await CallAsync($"read the resource tree of {app}", app, (client, token) => client.ResourceTreeAsync(app, token), cancellation);
        return (tree.Nodes ?? [])
            .Where(node => node.Health?.Status is { } health && health != "Healthy")
            .Select(node => new ResourceOutcome(node.Kind ?? "", node.Namespace, node.Name ?? "", null, node.Health!.Status, node.Health.Message))
            .ToList();
    }

    public void Dispose() => _http.Dispose();

    private async Task<T> CallAsync<T>(string what, string? app, Func<ApplicationClient, CancellationToken, Task<T>> call, CancellationToken cancellation)
    {
        try
        {
            return await call(_applications, cancellation);
        }
        catch (ArgoCdApiException failure)
        {
            throw ArgoCdErrors.Map(failure, _settings.Server, what, app);
        }
        catch (Exception failure) when (failure is HttpRequestException or TimeoutRejectedException)
        {
            throw Unreachable(_settings, what, failure);
        }
    }

    private static async Task<string> LogInAsync(ArgoCdSettings settings, HttpClient http, CancellationToken cancellation)
    {
        if (string.IsNullOrEmpty(settings.Username) || string.IsNullOrEmpty(settings.Password))
            throw BuildFailure.BadInput(
                $"Argo CD at {settings.Server} needs credentials: give --argocd-token, or --argocd-username and --argocd-password.");
        try
        {
            var session = await new SessionClient(http).CreateAsync(new SessionCreateRequest { Username = settings.Username, Password = settings.Password }, cancellation);
            return string.IsNullOrEmpty(session.Token)
                ? throw new ArgoCdAuthenticationException($"Argo CD at {settings.Server} answered the login without a session token.", null, null)
                : session.Token;
        }
        catch (ArgoCdApiException failure)
        {
            throw ArgoCdErrors.Map(failure, settings.Server, $"log in to Argo CD as {settings.Username}", null);
        }
        catch (Exception failure) when (failure is HttpRequestException or TimeoutRejectedException)
        {
            throw Unreachable(settings, $"log in to Argo CD as {settings.Username}", failure);
        }
    }

    private static ArgoCdUnavailableException Unreachable(ArgoCdSettings settings, string what, Exception failure) => new(
        $"Could not {what}: Argo CD at {settings.Server} could not be reached after {settings.RequestAttempts} attempts " +
        $"({(failure is TimeoutRejectedException ? $"no answer within {settings.RequestTimeout.TotalSeconds:0.###} s" : failure.Message)}). " +
        "Check --argocd-server and the network.");

    private IEnumerable<string>? Projects => _settings.Project is null ? null : [_settings.Project];

    private static string Describe(ICollection<SyncWindow>? windows) => windows is null || windows.Count == 0
        ? "no active window listed"
        : string.Join("; ", windows.Select(window => $"{window.Kind} {window.Schedule} for {window.Duration}"));
}
