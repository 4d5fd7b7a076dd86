using Bun.Delivery.Integrations.GitHub;
using Bun.Delivery.Integrations.Registry;
using Bun.Delivery.Model.Branches;
using Bun.Delivery.Model.Images;
using Bun.Pipeline.Output;

namespace Bun.Delivery.Orchestration.Images;

/// <summary>
/// The CleanupFeatureImages use case: deletes a merged feature or fix branch's image tags wherever the repository is.
/// A registry is cleaned up through its HTTP API (<see cref="FeatureImageCleanup"/>); ghcr.io goes through GitHub's
/// packages API instead (<see cref="PackageVersionCleanup"/>), with the registry password as the GitHub token: a ghcr.io
/// login is one.
/// </summary>
public static class MergedBranchCleanup
{
    /// <param name="gitHubApiUrl">GitHub's REST API root for ghcr.io; default api.github.com.</param>
    public static async Task<CleanupReport> RunAsync(
        ImageRepository repository, RegistryCredentials? credentials, Branch branch, bool dryRun, BuildOutput output, CancellationToken cancellation,
        string? gitHubApiUrl = null)
    {
        if (repository.IsGitHubContainerRegistry)
        {
            ImageTags.BranchPrefix(branch);  // a main or release branch is bad input before anything is asked of GitHub
            var github = GitHubConnection.From(gitHubApiUrl, credentials?.Password,
                $"{repository} is cleaned up through GitHub's packages API, which needs a GitHub token that may delete packages " +
                "(delete:packages, or GITHUB_TOKEN with packages: write). Pass it as --registry-password (BUN_REGISTRY_PASSWORD), with --registry-username.");
            return await new PackageVersionCleanup(new ContainerPackages(github, output)).RunAsync(repository, branch, dryRun, output, cancellation);
        }

        using var client = new RegistryClient(repository, credentials, output);
        return await new FeatureImageCleanup(client).RunAsync(branch, dryRun, output, cancellation);
    }
}
