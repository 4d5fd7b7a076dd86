using System.Text.Json.Nodes;
using Bun.Delivery.Model.Context;
using Bun.Pipeline;
using Bun.Pipeline.Cli;
using RepositoryBuild = Bun.Build.Build;

namespace Bun.Delivery.Tests.Support;

/// <summary>
/// Runs the repository's real build in-process for a scenario on either host: in GitHub Actions from the runner's
/// variables and a payload file, on a laptop from a real git repository plus the options that simulate the event.
/// </summary>
internal static class Hosts
{
    public const string FixtureCommit = "0123456789abcdef0123456789abcdef01234567";

    public static IEnumerable<Host> Both => Enum.GetValues<Host>();

    public static async Task<BuildRun> RunAsync(Host host, Scenario scenario, params string[] arguments) =>
        host == Host.GitHubActions ? await OnGitHubAsync(scenario, FixtureCommit, arguments) : await OnLaptopAsync(scenario, arguments);

    public static async Task<BuildRun> OnGitHubAsync(Scenario scenario, string commit, params string[] arguments)
    {
        using var folder = new TempFolder();
        var variables = GitHubVariables(scenario, commit, folder);
        return await RunAsync(folder.Path, variables, arguments);
    }

    /// <summary>
    /// A pull request is simulated from its head branch; a closed one from main with <c>--head</c>, the way a person
    /// who has just merged would ask.
    /// </summary>
    public static async Task<BuildRun> OnLaptopAsync(Scenario scenario, params string[] arguments)
    {
        using var folder = new TempFolder();
        var closed = scenario.Event == DeliveryEvent.PullRequestClosed;
        await Git.InitAsync(folder.Path, closed ? "main" : scenario.Branch);
        List<string> simulated = scenario.Event == DeliveryEvent.Push ? [] : ["--event", scenario.Event.Name()];
        if (scenario.IsPullRequest)
            simulated.AddRange(["--base", scenario.Base!, "--pr-number", scenario.PrNumber!.Value.ToString()]);
        if (closed)
            simulated.AddRange(["--head", scenario.Branch, "--merged", scenario.Merged == true ? "true" : "false"]);
        return await RunAsync(folder.Path, new Dictionary<string, string>(), [.. arguments, .. simulated]);
    }

    public static Dictionary<string, string> GitHubVariables(Scenario scenario, string commit, TempFolder folder)
    {
        var variables = new Dictionary<string, string>
        {
            ["GITHUB_ACTIONS"] = "true",
            ["GITHUB_SHA"] = commit,
            ["GITHUB_EVENT_PATH"] = folder.Write("event.json", Payload(scenario).ToJsonString()),
        };
        if (scenario.IsPullRequest)
        {
            variables["GITHUB_EVENT_NAME"] = "pull_request";
            variables["GITHUB_REF"] = $"refs/pull/{scenario.PrNumber}/merge";
            variables["GITHUB_REF_NAME"] = $"{scenario.PrNumber}/merge";
            variables["GITHUB_HEAD_REF"] = scenario.Branch;
            variables["GITHUB_BASE_REF"] = scenario.Base!;
        }
        else
        {
            variables["GITHUB_EVENT_NAME"] = scenario.Event.Name();
            variables["GITHUB_REF"] = Ref(scenario);
            variables["GITHUB_REF_NAME"] = Ref(scenario).Split('/', 3)[^1];
            variables["GITHUB_HEAD_REF"] = "";
            variables["GITHUB_BASE_REF"] = "";
        }

        return variables;
    }

    /// <summary>The parts of GitHub's payload that Bun reads, shaped as GitHub sends them.</summary>
    public static JsonObject Payload(Scenario scenario) => scenario.IsPullRequest
        ? new JsonObject
        {
            ["action"] = scenario.Event == DeliveryEvent.PullRequestClosed ? "closed" : "opened",
            ["number"] = scenario.PrNumber,
            ["pull_request"] = new JsonObject
            {
                ["number"] = scenario.PrNumber,
                ["merged"] = scenario.Merged ?? false,
                ["head"] = new JsonObject { ["ref"] = scenario.Branch },
                ["base"] = new JsonObject { ["ref"] = scenario.Base },
            },
        }
        : new JsonObject { ["ref"] = Ref(scenario), ["created"] = false };

    // A scenario's branch may already be a full ref, e.g. a tag.
    private static string Ref(Scenario scenario) =>
        scenario.Branch.StartsWith("refs/", StringComparison.Ordinal) ? scenario.Branch : $"refs/heads/{scenario.Branch}";

    public static async Task<BuildRun> RunAsync(string root, IReadOnlyDictionary<string, string> variables, IReadOnlyList<string> arguments)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var build = new RepositoryBuild();
        var exitCode = await BuildRunner.RunAsync(build, arguments, build.Test,
            new BuildEnvironment(variables, output, error, IsTerminal: false, root, Cores: 2), CancellationToken.None);
        return new BuildRun(exitCode, output.ToString(), error.ToString());
    }
}
