using Bun.Delivery.Model.Branches;
using Bun.Pipeline.Failures;
using Bun.Pipeline.Parameters;
using Bun.Pipeline.Processes;

namespace Bun.Delivery.Model.Context;

/// <summary>What git says about the checkout: the current branch (<c>HEAD</c> when detached) and the commit.</summary>
public sealed record GitHead(string Branch, string Commit);

/// <summary>The options that simulate, on a laptop, what git cannot tell: <c>--event --base --head --merged --pr-number</c>.</summary>
public sealed record SimulatedEvent(DeliveryEvent? Event = null, string? Base = null, string? Head = null, bool? Merged = null, int? PullRequestNumber = null)
{
    /// <summary>The options given, by name.</summary>
    public IEnumerable<string> Given() => new (string Name, object? Value)[]
        {
            ("--event", Event), ("--base", Base), ("--head", Head), ("--merged", Merged), ("--pr-number", PullRequestNumber),
        }
        .Where(option => option.Value is not null)
        .Select(option => option.Name);
}

/// <summary>The context on a laptop: the branch and commit from git, the event <c>push</c> unless the options simulate another.</summary>
public static class LocalContext
{
    /// <summary>The base a simulated pull request merges into when <c>--base</c> is not given.</summary>
    public const string DefaultBase = "main";

    private static readonly string[] PullRequestOptions = ["--base", "--head", "--pr-number"];

    public static DeliveryContext Create(GitHead git, SimulatedEvent simulated)
    {
        var @event = simulated.Event ?? DeliveryEvent.Push;
        var pullRequest = @event is DeliveryEvent.PullRequest or DeliveryEvent.PullRequestClosed;
        if (!pullRequest && simulated.Given().FirstOrDefault(PullRequestOptions.Contains) is { } option)
            throw BuildFailure.BadInput($"{option} describes a pull request, but the event is {@event.Name()}; add --event pull_request (or pull_request_closed), or drop {option}.");
        if (simulated.Merged is not null && @event != DeliveryEvent.PullRequestClosed)
            throw BuildFailure.BadInput($"--merged describes a closed pull request, but the event is {@event.Name()}; add --event pull_request_closed, or drop --merged.");
        if (simulated.PullRequestNumber is <= 0)
            throw BuildFailure.BadInput($"--pr-number is {simulated.PullRequestNumber}; a pull request's number is 1 or more.");

        return new DeliveryContext(DeliveryHost.Local, Branch.Classify(pullRequest ? simulated.Head ?? git.Branch : git.Branch), @event, git.Commit)
        {
            BaseBranch = pullRequest ? simulated.Base ?? DefaultBase : null,
            Merged = @event == DeliveryEvent.PullRequestClosed ? simulated.Merged ?? false : null,
            PullRequestNumber = simulated.PullRequestNumber,
        };
    }

    public static async Task<GitHead> ReadGitAsync(ProcessRunner processes, AbsolutePath directory, CancellationToken cancellation)
    {
        ProcessResult result;
        try
        {
            // One process for both: the commit, then (after --abbrev-ref) the branch name, "HEAD" when detached.
            result = await processes.RunAsync("git", ["rev-parse", "HEAD", "--abbrev-ref", "HEAD"], cancellation, directory, echo: false);
        }
        catch (ProcessFailedException failure)
        {
            throw BuildFailure.BadInput(
                $"git cannot tell the branch and commit of {directory} ({failure.Message.Split('\n')[^1].Trim()}); run the build in a git checkout with at least one commit.");
        }

        return result.Lines is [var commit, var branch]
            ? new GitHead(branch.Trim(), commit.Trim())
            : throw BuildFailure.BadInput($"git rev-parse printed '{result.Text}' in {directory}; expected a commit and a branch name.");
    }

    /// <summary>The tracked files whose content differs from HEAD, staged or not; untracked files are left out, as <c>git describe --dirty</c> does.</summary>
    public static async Task<IReadOnlyList<string>> ReadChangedFilesAsync(ProcessRunner processes, AbsolutePath directory, CancellationToken cancellation)
    {
        var result = await processes.RunAsync("git", ["status", "--porcelain", "--untracked-files=no", "--no-renames"], cancellation, directory, echo: false);
        return result.Lines.Where(line => line.Length > 3).Select(line => line[3..].Trim()).ToList();
    }
}
