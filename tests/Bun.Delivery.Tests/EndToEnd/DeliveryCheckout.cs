using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Bun.Delivery.Integrations.GitOps;
using Bun.Delivery.Model.Images;
using Bun.Delivery.Orchestration.Deployments;
using Bun.Delivery.Tests.Integrations.Argo.Simulator;
using Bun.Delivery.Tests.Integrations.GitOps;
using Bun.Delivery.Tests.Support;
using Bun.Pipeline.Output;
using Bun.Pipeline.Parameters;
using Git = Bun.Testing.Git;

namespace Bun.Delivery.Tests.EndToEnd;

/// <summary>
/// One end-to-end world in a temp folder: an application checkout on a branch (deploy/ and db/migrations copied from this
/// repository, a real git history), an empty bare GitOps remote, and an Argo CD simulator whose applications
/// <c>bun-api-&lt;env&gt;</c> read that remote. <see cref="RunAsync"/> runs the repository's real build in-process in the
/// checkout, pointed at both, with a settle window of 0 and millisecond polls.
/// </summary>
internal sealed class DeliveryCheckout : IAsyncDisposable
{
    private readonly TempFolder _folder = new();
    private int _commits;

    private DeliveryCheckout(string branch, ArgoCdSimulator simulator)
    {
        Branch = branch;
        Simulator = simulator;
        Remote = System.IO.Path.Combine(_folder.Path, ".nuke", "temp", "test-gitops.git");
    }

    public string Branch { get; }

    /// <summary>The checkout's git user, whom its deployments name (Bun-Deployed-By), whatever this machine's git user is.</summary>
    public const string GitUser = "Bun Tests";
    public ArgoCdSimulator Simulator { get; }
    public string Root => _folder.Path;

    /// <summary>The bare GitOps repository (inside the checkout's .nuke/temp, as a real build's would be).</summary>
    public string Remote { get; }

    public string PushedImageRecord => System.IO.Path.Combine(Root, ".nuke", "temp", "pushed-image.json");

    /// <summary>The commit the checkout is on.</summary>
    public string Commit { get; private set; } = "";

    /// <summary>
    /// Whether each commit comes with the record of a passing Test, as if an earlier run had tested it, so that stage's
    /// gate (tests must pass) lets the deploy targets run with <c>--skip Test</c>; false for tests of that gate.
    /// </summary>
    public bool TestedCommits { get; set; } = true;

    /// <summary>Extra arguments for every run, e.g. <c>--database-url</c>.</summary>
    public List<string> Arguments { get; } = [];

    /// <summary>Where the build talks to Argo CD; another address makes it unreachable.</summary>
    public string ArgoCdServer { get; set; } = "";

    public static Task<DeliveryCheckout> CreateAsync(string branch, params string[] autoSync) => CreateAsync(branch, withService: false, autoSync);

    /// <param name="withService">Also the service project and the root build settings, for DockerImage to publish and build.</param>
    public static async Task<DeliveryCheckout> CreateAsync(string branch, bool withService, params string[] autoSync)
    {
        var checkout = new DeliveryCheckout(branch, ArgoCdSimulator.Start());
        try
        {
            Copy(RepositoryRoot.PathOf("deploy"), System.IO.Path.Combine(checkout.Root, "deploy"));
            Copy(RepositoryRoot.PathOf("db", "migrations"), System.IO.Path.Combine(checkout.Root, "db", "migrations"));
            if (withService)
            {
                foreach (var file in new[] { "global.json", "Directory.Build.props", "Directory.Packages.props" })
                    File.Copy(RepositoryRoot.PathOf(file), System.IO.Path.Combine(checkout.Root, file));
                foreach (var project in new[] { "Bun.Api", "Bun.Postgres" })
                    Copy(RepositoryRoot.PathOf("src", project), System.IO.Path.Combine(checkout.Root, "src", project));
            }

            checkout.Commit = await Git.InitAsync(checkout.Root, branch);
            await Git.RunAsync(checkout.Root, "config", "user.name", GitUser);
            await checkout.RecordTestedAsync();
            await Git.RunAsync(checkout.Root, "init", "--quiet", "--bare", "--initial-branch=main", checkout.Remote);
            await SeedAsync(checkout);
            foreach (var environment in new[] { "dev", "test", "stage", "prod" })
                checkout.Simulator.AddApplication($"bun-api-{environment}", checkout.Remote, $"apps/bun-api/overlays/{environment}", autoSync.Contains(environment));
            checkout.ArgoCdServer = checkout.Simulator.Url.ToString();
            return checkout;
        }
        catch
        {
            await checkout.DisposeAsync();
            throw;
        }
    }

    /// <summary>A new commit on the checkout's branch, as a push of new code would bring.</summary>
    public async Task<string> CommitAsync()
    {
        await Git.RunAsync(Root, "-c", "user.name=Bun Tests", "-c", "user.email=tests@bun.invalid", "-c", "commit.gpgsign=false",
            "commit", "--quiet", "--allow-empty", "--message", $"change {++_commits}");
        Commit = await Git.RunAsync(Root, "rev-parse", "HEAD");
        await RecordTestedAsync();
        return Commit;
    }

    private async Task RecordTestedAsync()
    {
        if (!TestedCommits)
            return;
        var proof = DeploymentGates.TestProofPath(AbsolutePath.From(Root), Commit);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(proof)!);
        await File.WriteAllTextAsync(proof, "written by the test, as Test would\n");
    }

    /// <summary>Writes the record PushImage leaves behind, for this commit's tag.</summary>
    public async Task<PushedImage> RecordPushedImageAsync(string repository, ImageDigest digest, string tag)
    {
        var image = new PushedImage(repository, tag, digest.Value);
        await image.WriteAsync(PushedImageRecord, CancellationToken.None);
        return image;
    }

    /// <summary>Runs the build with only the invoked targets (a bare --skip), against this world's GitOps remote and Argo CD.</summary>
    public Task<BuildRun> RunAsync(params string[] arguments) => RunWithDependenciesAsync([.. arguments, "--skip"]);

    /// <summary>Runs the build as given, dependencies included, against this world's GitOps remote, Argo CD and Docker Engine.</summary>
    public Task<BuildRun> RunWithDependenciesAsync(params string[] arguments) => Hosts.RunAsync(Root, EngineVariables(),
    [
        .. arguments, .. Arguments,
        "--gitops-repo", Remote,
        "--argocd-server", ArgoCdServer, "--argocd-token", Simulator.AccountToken,
        "--settle-seconds", "0", "--argocd-poll-seconds", "0.005",
    ]);

    // The engine the image targets use: the test run's (DOCKER_HOST, as .ci/services/docker.sh exports it).
    private static Dictionary<string, string> EngineVariables() =>
        Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } dockerHost ? new() { ["DOCKER_HOST"] = dockerHost } : [];

    public Task<string> RemoteHeadAsync() => RemoteGitAsync("rev-parse", "HEAD");

    public Task<string> RemoteGitAsync(params string[] arguments) => Git.RunAsync(Root, ["--git-dir", Remote, .. arguments]);

    /// <summary>The digest an environment's overlay pins at the remote's HEAD.</summary>
    public async Task<string?> PinnedAsync(string environment) =>
        KustomizationImages.PinnedDigest(await RemoteGitAsync("show", $"HEAD:apps/bun-api/overlays/{environment}/kustomization.yaml"), "ghcr.io/bun/bun-api");

    /// <summary>The trailers of the remote's newest commits, newest first: one dictionary per commit.</summary>
    public async Task<IReadOnlyList<Dictionary<string, string>>> TrailersAsync(int count)
    {
        var log = await RemoteGitAsync("log", $"-{count}", "--format=%(trailers:only,unfold)%x1e");
        return log.Split('\x1e', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(block => block.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => line.Split(": ", 2))
                .ToDictionary(parts => parts[0], parts => parts[1]))
            .ToList();
    }

    public static ImageDigest FakeDigest(string text) => new($"sha256:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))}");

    public static JsonObject Json(BuildRun run) => JsonNode.Parse(run.Out)!.AsObject();

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Simulator.DisposeAsync();
        }
        finally
        {
            foreach (var file in Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories))
                File.SetAttributes(file, FileAttributes.Normal);
            _folder.Dispose();
        }
    }

    // The simulator reads the remote, so it must hold the layout before the applications are added.
    private static async Task SeedAsync(DeliveryCheckout checkout)
    {
        var output = new BuildOutput(TextWriter.Null, new OutputStyle(Colour: false, GitHubActions: false), new SecretMasker());
        await using (await GitOpsRepository.OpenAsync(new GitOpsSettings(AbsolutePath.From(checkout.Root), checkout.Remote), output, CancellationToken.None))
        {
        }
    }

    // A folder without its bin/ and obj/.
    private static void Copy(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(source))
            File.Copy(file, System.IO.Path.Combine(target, System.IO.Path.GetFileName(file)));
        foreach (var folder in Directory.GetDirectories(source).Where(folder => System.IO.Path.GetFileName(folder) is not ("bin" or "obj")))
            Copy(folder, System.IO.Path.Combine(target, System.IO.Path.GetFileName(folder)));
    }
}
