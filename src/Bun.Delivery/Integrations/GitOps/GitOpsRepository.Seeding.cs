using Bun.Pipeline.Failures;
using Bun.Pipeline.Output;
using Bun.Pipeline.Processes;

namespace Bun.Delivery.Integrations.GitOps;

// Where a GitOps repository comes from when there is none yet: the local default, and the seed from deploy/.
public sealed partial class GitOpsRepository
{
    private async Task SeedIfEmptyAsync(CancellationToken cancellation)
    {
        if (await _git.TestAsync(["rev-parse", "--verify", "--quiet", "HEAD"], cancellation))
            return;
        if (!Directory.Exists(_settings.DeployDirectory))
            throw BuildFailure.BadInput($"The GitOps repository {Location} is empty, and there is no {_settings.DeployDirectory} to seed it from.");

        await CommitAndPushAsync(
            async token =>
            {
                // Another writer may have seeded it since the clone: then there is nothing to do.
                if (await _git.TestAsync(["rev-parse", "--verify", "--quiet", "HEAD"], token))
                    return null;
                var target = Path.Combine(_git.WorkingDirectory, "apps", _settings.App);
                CopyDirectory(_settings.DeployDirectory, target);
                return [Path.Combine("apps", _settings.App)];
            },
            $"init {_settings.App} from deploy/",
            $"Seeded by Bun from the application repository's deploy/ folder.\n\n{DeploymentTrailers.FormatInit(_settings.App)}",
            cancellation);
        _output.Info($"GitOps: seeded {Location} from {_settings.DeployDirectory}.");
    }

    private static async Task CreateLocalRepositoryAsync(GitOpsSettings settings, ProcessRunner processes, BuildOutput output, CancellationToken cancellation)
    {
        var path = settings.LocalRepository;
        if (Directory.Exists(path))
            return;
        // Built beside the target and moved into place, so that two builds starting at once can't see a half-made repository.
        Directory.CreateDirectory(path.Parent);
        var draft = $"{path.Value}.{Guid.NewGuid():N}";
        await processes.RunAsync("git", ["init", "--quiet", "--bare", "--initial-branch=main", draft], cancellation, echo: false);
        try
        {
            Directory.Move(draft, path);
            output.Notice($"No --gitops-repo given: created the local GitOps repository {path}, seeded from deploy/. Deployments are recorded there.");
        }
        catch (IOException) when (Directory.Exists(path))
        {
            DeleteDirectory(draft);
        }
    }

    private static void CopyDirectory(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var directory in Directory.GetDirectories(source, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(target, Path.GetRelativePath(source, directory)));
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
            File.Copy(file, Path.Combine(target, Path.GetRelativePath(source, file)));
    }

    private static void DeleteDirectory(string path)
    {
        if (!Directory.Exists(path))
            return;
        // Git writes its objects read-only, which Windows refuses to delete.
        foreach (var file in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories))
            File.SetAttributes(file, FileAttributes.Normal);
        Directory.Delete(path, recursive: true);
    }
}
