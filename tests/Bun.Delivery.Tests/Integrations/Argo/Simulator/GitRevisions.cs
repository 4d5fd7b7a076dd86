using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using CliWrap;
using CliWrap.Buffered;

namespace Bun.Delivery.Tests.Integrations.Argo.Simulator;

/// <summary>What an application's source is at a commit: the overlay's tree (what sync status compares) and the digest it pins.</summary>
public sealed record Manifests(string Sha, string Tree, string? Digest);

/// <summary>What Argo CD reads from git: revisions resolved to commits, and the manifests an overlay renders at one.</summary>
public sealed partial class GitRevisions(string repository)
{
    private readonly ConcurrentDictionary<string, Manifests?> _manifests = new();

    public async Task<string?> ResolveAsync(string revision)
    {
        var (exitCode, output) = await GitAsync("rev-parse", "--verify", "--quiet", $"{revision}^{{commit}}");
        return exitCode == 0 ? output.Trim() : null;
    }

    /// <summary>The overlay at <paramref name="revision"/>, or null when the revision or the path doesn't exist; commits never change, so it is cached.</summary>
    public async Task<Manifests?> ManifestsAsync(string revision, string path)
    {
        if (await ResolveAsync(revision) is not { } sha)
            return null;
        var key = $"{sha}:{path}";
        if (_manifests.TryGetValue(key, out var cached))
            return cached;
        var (treeExit, tree) = await GitAsync("rev-parse", "--verify", "--quiet", $"{sha}:{path}");
        var (_, kustomization) = await GitAsync("show", $"{sha}:{path}/kustomization.yaml");
        var digest = Digest().Match(kustomization);
        return _manifests[key] = treeExit == 0 ? new Manifests(sha, tree.Trim(), digest.Success ? digest.Groups[1].Value : null) : null;
    }

    private async Task<(int ExitCode, string Output)> GitAsync(params string[] arguments)
    {
        var result = await Cli.Wrap("git")
            .WithArguments(["--git-dir", repository, .. arguments])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();
        return (result.ExitCode, result.StandardOutput);
    }

    [GeneratedRegex(@"^\s*digest:\s*(sha256:[0-9a-f]{64})", RegexOptions.Multiline)]
    private static partial Regex Digest();
}
