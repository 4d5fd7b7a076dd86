namespace Bun.Delivery.Tests.EndToEnd;

/// <summary>
/// A git checkout in a temp folder with what the image targets read: the service project (src/Bun.Api and the src/Bun.Postgres it references, without bin/ and
/// obj/), the root build settings it compiles with, and <c>.nuke/</c>. Much smaller than a copy of the repository, and
/// on any branch, with any origin remote.
/// </summary>
internal sealed class ServiceCheckout : IDisposable
{
    private static readonly string[] RootFiles = ["global.json", "Directory.Build.props", "Directory.Packages.props"];

    private readonly TempFolder _folder = new();

    private ServiceCheckout()
    {
    }

    public string Path => _folder.Path;
    public string Commit { get; private set; } = "";

    /// <param name="withDeploy">Also deploy/, which the embedded GitOps repository is seeded from.</param>
    public static async Task<ServiceCheckout> CreateAsync(string branch, string? origin, bool withDeploy = false)
    {
        var checkout = new ServiceCheckout();
        try
        {
            foreach (var file in RootFiles)
                File.Copy(RepositoryRoot.PathOf(file), System.IO.Path.Combine(checkout.Path, file));
            CopyProject(RepositoryRoot.PathOf("src", "Bun.Api"), System.IO.Path.Combine(checkout.Path, "src", "Bun.Api"));
            CopyProject(RepositoryRoot.PathOf("src", "Bun.Postgres"), System.IO.Path.Combine(checkout.Path, "src", "Bun.Postgres"));
            if (withDeploy)
                CopyProject(RepositoryRoot.PathOf("deploy"), System.IO.Path.Combine(checkout.Path, "deploy"));
            await File.WriteAllTextAsync(System.IO.Path.Combine(checkout.Path, ".gitignore"), "bin/\nobj/\n.nuke/temp/\n");

            await Git.RunAsync(checkout.Path, "init", "--quiet", "--initial-branch", branch);
            if (origin is not null)
                await Git.RunAsync(checkout.Path, "remote", "add", "origin", origin);
            await Git.RunAsync(checkout.Path, "add", "--all");
            await Git.RunAsync(checkout.Path, "-c", "user.name=Bun Tests", "-c", "user.email=tests@bun.invalid", "-c", "commit.gpgsign=false",
                "commit", "--quiet", "--no-verify", "--message", "The service, for the image targets");
            checkout.Commit = await Git.RunAsync(checkout.Path, "rev-parse", "HEAD");
            return checkout;
        }
        catch
        {
            checkout.Dispose();
            throw;
        }
    }

    public void Dispose() => _folder.Dispose();

    private static void CopyProject(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
            File.Copy(file, System.IO.Path.Combine(to, System.IO.Path.GetFileName(file)));
        foreach (var folder in Directory.GetDirectories(from).Where(folder => System.IO.Path.GetFileName(folder) is not ("bin" or "obj")))
            CopyProject(folder, System.IO.Path.Combine(to, System.IO.Path.GetFileName(folder)));
    }
}
