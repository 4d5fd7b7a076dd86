using System.Text.RegularExpressions;
using Bun.Delivery.Model.Images;
using Bun.Pipeline.Failures;
using Bun.Pipeline.Output;
using Bun.Pipeline.Processes;
using Polly;

namespace Bun.Delivery.Integrations.GitOps;

/// <summary>
/// The GitOps writer (DESIGN §7): a private clone of the GitOps repository in which each action becomes one commit
/// with Bun's trailers, pushed to the remote. A push that loses a race is fetched, re-applied and retried; nothing is
/// ever force-pushed. Dispose it to delete the clone.
/// </summary>
public sealed partial class GitOpsRepository : IAsyncDisposable
{
    private readonly GitOpsSettings _settings;
    private readonly BuildOutput _output;
    private readonly GitOpsRemote _remote;
    private readonly Git _git;
    private readonly string _branch;
    private readonly ResiliencePipeline _pushRetry;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly string? _deployedBy;

    private GitOpsRepository(GitOpsSettings settings, BuildOutput output, GitOpsRemote remote, Git git, string branch, string? deployedBy)
    {
        _settings = settings;
        _deployedBy = deployedBy;
        _output = output;
        _remote = remote;
        _git = git;
        _branch = branch;
        _pushRetry = GitOpsPolicies.PushRetry(settings, output);
    }

    /// <summary>The repository as messages name it: a URL without credentials, or a path.</summary>
    public string Location => _remote.Location;

    public string App => _settings.App;

    /// <summary>
    /// Clones the repository given by the settings. Without one, the local repository under .nuke/temp/gitops is used,
    /// created on first use; an empty repository is seeded from deploy/ as <c>apps/&lt;app&gt;/</c>.
    /// </summary>
    public static async Task<GitOpsRepository> OpenAsync(GitOpsSettings settings, BuildOutput output, CancellationToken cancellation)
    {
        var remote = GitOpsRemote.From(settings, output);
        var processes = new ProcessRunner(output);
        if (string.IsNullOrWhiteSpace(settings.Repository))
            await CreateLocalRepositoryAsync(settings, processes, output, cancellation);

        var clone = Directory.CreateTempSubdirectory("bun-gitops-").FullName;
        var git = new Git(processes, output, remote, clone);
        try
        {
            await git.RunAsync(["clone", "--quiet", "--no-tags", remote.Location, "."], cancellation);
            var branch = await git.RunAsync(["symbolic-ref", "--short", "HEAD"], cancellation);
            var repository = new GitOpsRepository(settings, output, remote, git, branch, settings.DeployedBy ?? await GitUserAsync(settings, processes, cancellation));
            await repository.SeedIfEmptyAsync(cancellation);
            return repository;
        }
        catch (ProcessFailedException failure)
        {
            DeleteDirectory(clone);
            throw new BuildFailure(
                $"Could not open the GitOps repository {remote.Location}: {git.Describe(failure)}\n" +
                $"Check --gitops-repo ({GitOpsSettings.RepositoryVariable}), the network and the token; nothing was changed.");
        }
        catch
        {
            DeleteDirectory(clone);
            throw;
        }
    }

    // The checkout's git user, as `git commit` there would record it; none when git has no user configured.
    private static async Task<string?> GitUserAsync(GitOpsSettings settings, ProcessRunner processes, CancellationToken cancellation)
    {
        try
        {
            var result = await processes.RunAsync("git", ["config", "user.name"], cancellation, settings.RootDirectory, echo: false);
            return result.Text.Trim() is { Length: > 0 } name ? name : null;
        }
        catch (ProcessFailedException)
        {
            return null;
        }
    }

    /// <summary>Pins the image of <paramref name="deployment"/> in its environment's overlay: one commit, pushed.</summary>
    public async Task<GitOpsCommit> PinAsync(Deployment deployment, CancellationToken cancellation) =>
        (await PinAsync(deployment, replaced: null, cancellation))!;

    /// <summary>
    /// A compare-and-swap: pins <paramref name="deployment"/> only while the overlay still pins <paramref name="replaced"/>,
    /// checked on the remote's newest state in every push attempt. Null, with nothing pushed, when another writer has
    /// pinned something else since.
    /// </summary>
    public Task<GitOpsCommit?> PinInsteadOfAsync(Deployment deployment, ImageDigest replaced, CancellationToken cancellation) =>
        PinAsync(deployment, replaced, cancellation);

    /// <summary>The digest an environment's overlay pins at <paramref name="revision"/>, or null when the revision or the pin is unknown.</summary>
    public async Task<ImageDigest?> PinnedDigestAtAsync(string environment, string revision, CancellationToken cancellation)
    {
        await _gate.WaitAsync(cancellation);
        try
        {
            await ResetToRemoteAsync(cancellation);
            var yaml = await _git.RunAsync(["show", $"{revision}:{_settings.OverlayPath(environment)}/kustomization.yaml"], cancellation);
            return KustomizationImages.PinnedDigest(yaml, _settings.ImageName) is { } digest ? new ImageDigest(digest) : null;
        }
        catch (ProcessFailedException)
        {
            return null;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The namespace an environment's overlay deploys to (its <c>namespace:</c>), or null when it sets none.</summary>
    public async Task<string?> NamespaceAsync(string environment, CancellationToken cancellation)
    {
        await _gate.WaitAsync(cancellation);
        try
        {
            await ResetToRemoteAsync(cancellation);
            RequireOverlay(environment);
            var yaml = await File.ReadAllTextAsync(Path.Combine(_git.WorkingDirectory, _settings.OverlayPath(environment), "kustomization.yaml"), cancellation);
            return NamespaceLine().Match(yaml) is { Success: true } line ? line.Groups[1].Value.Trim('"', '\'') : null;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Records whether the deployment made by <paramref name="commit"/> was seen healthy: an empty follow-up commit.</summary>
    public async Task<GitOpsCommit> RecordVerificationAsync(Deployment deployment, GitOpsCommit commit, bool healthy, string summary, CancellationToken cancellation)
    {
        var subject = $"verify {deployment.App} {deployment.Version} in {deployment.Environment}: {(healthy ? "healthy" : "failed")}";
        var body = $"{summary}\n\n{DeploymentTrailers.FormatVerification(deployment, commit, healthy)}";
        return (await CommitAndPushAsync(_ => Task.FromResult<IReadOnlyList<string>?>([]), subject, body, cancellation))!;
    }

    /// <summary>The deployments of an environment, newest first, read from the trailers of the remote's history.</summary>
    public async Task<EnvironmentHistory> HistoryAsync(string environment, CancellationToken cancellation)
    {
        await _gate.WaitAsync(cancellation);
        try
        {
            await ResetToRemoteAsync(cancellation);
            RequireOverlay(environment);
            var overlay = _settings.OverlayPath(environment);
            var log = await _git.RunAsync([.. HistoryReader.Format, "HEAD"], cancellation);
            return new EnvironmentHistory(environment, overlay, HistoryReader.Read(log, environment, _settings.App, overlay));
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Whether <paramref name="revision"/> still deploys what <paramref name="commit"/> deployed to the environment: it is
    /// that commit, or a later one that left the overlay alone (another environment's deploy moved the branch since).
    /// </summary>
    public async Task<bool> CarriesAsync(string environment, GitOpsCommit commit, string revision, CancellationToken cancellation)
    {
        if (revision == commit.Sha)
            return true;
        await _gate.WaitAsync(cancellation);
        try
        {
            await _git.RunAsync(["fetch", "--quiet", "--no-tags", "origin"], cancellation);
            return await _git.TestAsync(["merge-base", "--is-ancestor", commit.Sha, revision], cancellation)
                   && await _git.TestAsync(["diff", "--quiet", commit.Sha, revision, "--", _settings.OverlayPath(environment)], cancellation);
        }
        finally
        {
            _gate.Release();
        }
    }

    public ValueTask DisposeAsync()
    {
        DeleteDirectory(_git.WorkingDirectory);
        _gate.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<GitOpsCommit?> PinAsync(Deployment deployment, ImageDigest? replaced, CancellationToken cancellation)
    {
        deployment = deployment with { DeployedBy = _deployedBy };
        var overlay = $"{_settings.OverlayPath(deployment.Environment)}/kustomization.yaml";
        var commit = await CommitAndPushAsync(
            async token =>
            {
                RequireOverlay(deployment.Environment);
                var file = Path.Combine(_git.WorkingDirectory, overlay);
                var before = await File.ReadAllTextAsync(file, token);
                if (replaced is not null && KustomizationImages.PinnedDigest(before, _settings.ImageName) != replaced.Value)
                    return null;
                var after = KustomizationImages.Pin(before, _settings.ImageName, deployment.Image);
                if (after != before)
                    await File.WriteAllTextAsync(file, after, token);
                return [overlay];
            },
            deployment.Subject,
            DeploymentTrailers.Format(deployment),
            cancellation);
        if (commit is not null)
            _output.Info($"GitOps: {deployment.Subject} ({deployment.Image.Reference}) as commit {commit} in {Location}.");
        return commit;
    }

    // Each attempt starts from the remote's newest state, so a retry re-applies the change on top of the winner's commit.
    // A change that returns null finds nothing to do on that state: nothing is committed, and the result is null.
    private async Task<GitOpsCommit?> CommitAndPushAsync(
        Func<CancellationToken, Task<IReadOnlyList<string>?>> change, string subject, string message, CancellationToken cancellation)
    {
        await _gate.WaitAsync(cancellation);
        try
        {
            return await _pushRetry.ExecuteAsync<GitOpsCommit?>(async token =>
            {
                await ResetToRemoteAsync(token);
                var paths = await change(token);
                if (paths is null)
                    return null;
                if (paths.Count > 0)
                    await _git.RunAsync(["add", "--", .. paths], token);
                await _git.RunAsync(["commit", "--quiet", "--allow-empty", "-m", subject, "-m", message], token);
                await PushAsync(token);
                return new GitOpsCommit(await _git.RunAsync(["rev-parse", "HEAD"], token));
            }, cancellation);
        }
        catch (PushRejectedException rejected)
        {
            throw new BuildFailure(
                $"Could not push to the GitOps repository {Location}: the push was rejected {_settings.PushAttempts} times ({rejected.Message}) " +
                "because other writers kept moving the branch. Nothing of this run was pushed; run it again.");
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task ResetToRemoteAsync(CancellationToken cancellation)
    {
        try
        {
            await _git.RunAsync(["fetch", "--quiet", "--no-tags", "origin"], cancellation);
        }
        catch (ProcessFailedException failure)
        {
            throw new BuildFailure($"Could not fetch the GitOps repository {Location}: {_git.Describe(failure)}\nNothing was changed; check the network and the token.");
        }

        if (await _git.TestAsync(["rev-parse", "--verify", "--quiet", $"refs/remotes/origin/{_branch}"], cancellation))
            await _git.RunAsync(["reset", "--quiet", "--hard", $"origin/{_branch}"], cancellation);
        await _git.RunAsync(["clean", "--quiet", "-fdx"], cancellation);
    }

    private async Task PushAsync(CancellationToken cancellation)
    {
        try
        {
            await _git.RunAsync(["push", "--porcelain", "--quiet", "origin", $"HEAD:refs/heads/{_branch}"], cancellation);
        }
        catch (ProcessFailedException failure) when (LostRace().Match(failure.Message) is { Success: true } race)
        {
            throw new PushRejectedException(race.Value.Trim());
        }
        catch (ProcessFailedException failure)
        {
            throw new BuildFailure(
                $"The GitOps repository {Location} refused the push: {_git.Describe(failure)}\n" +
                "Nothing was changed. Check that the token may push to the branch and that no protection rule or hook refuses Bun's commits.");
        }
    }

    private void RequireOverlay(string environment)
    {
        if (Directory.Exists(Path.Combine(_git.WorkingDirectory, _settings.OverlayPath(environment))))
            return;
        var overlays = Path.Combine(_git.WorkingDirectory, "apps", _settings.App, "overlays");
        IEnumerable<string?> known = Directory.Exists(overlays) ? Directory.GetDirectories(overlays).Select(Path.GetFileName).Order() : [];
        throw BuildFailure.BadInput(
            $"The GitOps repository {Location} has no overlay for environment '{environment}' ({_settings.OverlayPath(environment)}/); " +
            $"it has {string.Join(", ", known.DefaultIfEmpty("none"))}. Check --environment, or add the overlay to the GitOps repository.");
    }

    [GeneratedRegex(@"^namespace:[ \t]*(\S+)[ \t]*(?:#.*)?$", RegexOptions.Multiline)]
    private static partial Regex NamespaceLine();

    // Lost races: the branch moved since the fetch ([rejected] fetch first / non-fast-forward), or a concurrent update held its lock.
    [GeneratedRegex(@"\[rejected\][^\n]*|\[remote rejected\][^\n]*(lock|failed to update ref|incorrect old value)[^\n]*")]
    private static partial Regex LostRace();
}
