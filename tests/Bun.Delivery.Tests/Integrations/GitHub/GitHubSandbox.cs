using Bun.Delivery.Integrations.GitHub;
using Bun.Delivery.Model.Retries;
using Bun.Delivery.Orchestration.GitHub;
using Bun.Delivery.Tests.Model.Images;
using Bun.Pipeline;
using Bun.Pipeline.Parameters;
using Bun.Pipeline.Processes;

namespace Bun.Delivery.Tests.Integrations.GitHub;

/// <summary>The GitHub double with the real Octokit client pointed at it, as a build on a laptop or in GitHub Actions would reach it.</summary>
internal static class GitHubSandbox
{
    public static readonly RetrySettings Quick = new(1, TimeSpan.FromMilliseconds(10));

    public static GitHubApi Api(GitHubDouble github, RecordedOutput recorded) =>
        new(new GitHubConnection(github.Url, github.Token), new GitHubRepository(github.Owner, github.Name), recorded.Output, Quick);

    /// <summary>The build's access: on a laptop by default; <paramref name="actionsRun"/> makes it a GitHub Actions run with that id.</summary>
    public static GitHubAccess Access(GitHubDouble github, RecordedOutput recorded, string? token = "", string? actionsRun = null)
    {
        var variables = actionsRun is null
            ? new Dictionary<string, string>()
            : new Dictionary<string, string>
            {
                ["GITHUB_ACTIONS"] = "true", ["GITHUB_RUN_ID"] = actionsRun, ["GITHUB_REPOSITORY"] = $"{github.Owner}/{github.Name}",
                ["GITHUB_SERVER_URL"] = "https://github.com",
            };
        var host = new BuildEnvironment(variables, TextWriter.Null, TextWriter.Null, false, Directory.GetCurrentDirectory(), 1);
        return new GitHubAccess(token == "" ? github.Token : token, github.Url.ToString(), $"{github.Owner}/{github.Name}", host,
            new ProcessRunner(recorded.Output), AbsolutePath.From(Directory.GetCurrentDirectory())) { Retry = Quick };
    }
}
