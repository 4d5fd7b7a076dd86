namespace Bun.Build.Tests;

/// <summary>
/// A scratch copy of the repository (the files git tracks plus untracked, not ignored ones; no bin/, obj/ or
/// .nuke/temp/) in a fresh git repository, so that <c>./build.sh</c> starts cold and every test edits its own files.
/// </summary>
public sealed class BootstrapRepository : IDisposable
{
    public const string CompilingMessage = "build.sh: compiling the build project";

    private BootstrapRepository(string root) => Root = root;

    public string Root { get; }

    public string BuildAssembly => Path.Combine(Root, ".nuke", "temp", "build-bin", "_build.dll");

    public static async Task<BootstrapRepository> CopyAsync()
    {
        var source = RepositoryRoot.Folder;
        var root = Path.Combine(Path.GetTempPath(), $"bun-bootstrap-{Guid.NewGuid():N}");
        var listing = await Git.RunAsync(source, "ls-files", "-z", "--cached", "--others", "--exclude-standard");
        foreach (var file in listing.Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            var from = Path.Combine(source, file);
            if (!File.Exists(from))
                continue; // deleted in the working tree but still in the index
            var to = Path.Combine(root, file);
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(from, to);
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(to, File.GetUnixFileMode(from));
        }

        // The build reads the branch and commit from git, so the copy is a repository on main with one commit.
        await Git.RunAsync(root, "init", "--quiet", "--initial-branch=main");
        await Git.RunAsync(root, "add", "--all");
        await Git.RunAsync(root, "-c", "user.name=Bun tests", "-c", "user.email=tests@bun.invalid", "-c", "commit.gpgsign=false",
            "commit", "--quiet", "--no-verify", "--message", "Copy of the working tree for the bootstrap tests");
        return new BootstrapRepository(root);
    }

    public Task<BuildRun> RunAsync(params string[] arguments) => BuildProcess.RunAsync(arguments, root: Root);

    public string PathOf(string relative) => Path.Combine(Root, relative);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A build server may still hold a file; the temp folder is cleaned up by the system eventually.
        }
    }
}

/// <summary>One copy shared by the tests of a class, and what its first, cold <c>./build.sh --plan</c> did.</summary>
public sealed class BootstrapFixture : IAsyncLifetime
{
    public BootstrapRepository Repository { get; private set; } = null!;
    public BuildRun FirstRun { get; private set; } = null!;
    public bool AssemblyExistedBeforeFirstRun { get; private set; }

    public async Task InitializeAsync()
    {
        Repository = await BootstrapRepository.CopyAsync();
        AssemblyExistedBeforeFirstRun = File.Exists(Repository.BuildAssembly);
        FirstRun = await Repository.RunAsync("--plan");
    }

    public Task DisposeAsync()
    {
        Repository.Dispose();
        return Task.CompletedTask;
    }
}
