using System.Security.Cryptography;
using System.Text;
using Bun.Delivery.Integrations.GitOps;
using Bun.Delivery.Model.Images;
using Bun.Pipeline.Output;
using Bun.Pipeline.Parameters;
using CliWrap;
using CliWrap.Buffered;

namespace Bun.Delivery.Tests.Integrations.GitOps;

/// <summary>
/// One test's own GitOps world in a temp folder: an application checkout with deploy/ (this repository's, or overlays
/// for the given environments), an empty bare remote that the first open seeds, and the build output captured.
/// </summary>
internal sealed class GitOpsSandbox : IDisposable
{
    private readonly StringWriter _text = new();

    private GitOpsSandbox(string[] environments)
    {
        Root = Directory.CreateTempSubdirectory("bun-gitops-tests-").FullName;
        App = Path.Combine(Root, "app");
        Remote = Path.Combine(Root, "remote.git");
        CopyDirectory(RepositoryRoot.PathOf("deploy"), Path.Combine(App, "deploy"));
        foreach (var environment in environments)
        {
            var overlay = Path.Combine(App, "deploy", "overlays", environment);
            Directory.CreateDirectory(overlay);
            File.WriteAllText(Path.Combine(overlay, "kustomization.yaml"),
                File.ReadAllText(Path.Combine(App, "deploy", "overlays", "dev", "kustomization.yaml")).Replace("dev", environment, StringComparison.Ordinal));
        }

        Output = new BuildOutput(_text, new OutputStyle(Colour: false, GitHubActions: false), new SecretMasker());
    }

    public static async Task<GitOpsSandbox> CreateAsync(params string[] environments)
    {
        var sandbox = new GitOpsSandbox(environments);
        await RunGitAsync(sandbox.Root, "init", "--quiet", "--bare", "--initial-branch=main", sandbox.Remote);
        return sandbox;
    }

    public string Root { get; }
    public string App { get; }
    public string Remote { get; }
    public BuildOutput Output { get; }
    public string Text => _text.ToString();

    public GitOpsSettings Settings => new(AbsolutePath.From(App), Remote)
    {
        PushRetryDelay = TimeSpan.FromMilliseconds(10),
        PushAttempts = 40,
        DeployedBy = Deployer,
    };

    /// <summary>Who the sandbox's deployments name, so that they don't depend on this machine's git user.</summary>
    public const string Deployer = "Bun Tests";

    public Task<GitOpsRepository> OpenAsync() => GitOpsRepository.OpenAsync(Settings, Output, CancellationToken.None);

    public static PinnedImage Image(int number, string repository = "ghcr.io/bun/bun-api") => new(repository, new ImageDigest($"sha256:{Hash($"image {number}")}"));

    public static string SourceCommit(int number) => Hash($"commit {number}")[..40];

    public static Deployment Deployment(string environment, int number, DeploymentAction action = DeploymentAction.Deploy) =>
        new(action, environment, "bun-api", Image(number), $"1.0.{number}", SourceCommit(number), "main");

    /// <summary>Runs git against the bare remote.</summary>
    public Task<string> RemoteGitAsync(params string[] arguments) => RunGitAsync(Root, ["--git-dir", Remote, .. arguments]);

    public Task<string> RemoteHeadAsync() => RemoteGitAsync("rev-parse", "HEAD");

    /// <summary>Changes a file of the remote in a commit without Bun's trailers, as a person editing the GitOps repository would.</summary>
    public async Task CommitByHandAsync(string path, Func<string, string> change, string message)
    {
        var clone = Path.Combine(Root, $"hand-{Guid.NewGuid():N}");
        await RunGitAsync(Root, "clone", "--quiet", Remote, clone);
        var file = Path.Combine(clone, path);
        await File.WriteAllTextAsync(file, change(File.Exists(file) ? await File.ReadAllTextAsync(file) : ""));
        await RunGitAsync(clone, "add", "-A");
        await RunGitAsync(clone, "-c", "user.name=Someone", "-c", "user.email=someone@example.com", "commit", "--quiet", "-m", message);
        await RunGitAsync(clone, "push", "--quiet", "origin", "HEAD:main");
    }

    /// <summary>The overlay file of an environment as the remote's HEAD has it.</summary>
    public Task<string> RemoteOverlayAsync(string environment) => RemoteGitAsync("show", $"HEAD:apps/bun-api/overlays/{environment}/kustomization.yaml");

    public void Dispose()
    {
        foreach (var file in Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories))
            File.SetAttributes(file, FileAttributes.Normal);
        Directory.Delete(Root, recursive: true);
    }

    public static async Task<string> RunGitAsync(string directory, params string[] arguments)
    {
        var result = await Cli.Wrap("git").WithArguments(arguments).WithWorkingDirectory(directory).WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();
        return result.ExitCode == 0
            ? result.StandardOutput.Trim()
            : throw new InvalidOperationException($"git {string.Join(' ', arguments)} failed: {result.StandardError}");
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static void CopyDirectory(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var directory in Directory.GetDirectories(source, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(target, Path.GetRelativePath(source, directory)));
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
            File.Copy(file, Path.Combine(target, Path.GetRelativePath(source, file)));
    }
}
