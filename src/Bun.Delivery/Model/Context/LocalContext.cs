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

    public static async Task<GitHead> ReadGitAsync(ProcessRunner processes, AbsolutePath directory, CancellationToken cancellation) =>
        (await ReadCheckoutAsync(processes, directory, cancellation)).Head;

    /// <summary>
    /// The branch, the commit and the tracked files whose content differs from HEAD, staged or not, from one git
    /// process (every build pays for it before it starts). Untracked files are left out, as <c>git describe --dirty</c> does.
    /// </summary>
    public static async Task<GitCheckout> ReadCheckoutAsync(ProcessRunner processes, AbsolutePath directory, CancellationToken cancellation)
    {
        ProcessResult result;
        try
        {
            result = await processes.RunAsync("git", ["status", "--porcelain=v2", "--branch", "--untracked-files=no", "--no-renames"], cancellation, directory, echo: false);
        }
        catch (ProcessFailedException failure)
        {
            throw CannotTell(directory, failure.Message.Split('\n')[^1].Trim());
        }

        string? commit = null, branch = null;
        var changed = new List<string>();
        foreach (var line in result.Lines)
        {
            if (line.StartsWith("# branch.oid ", StringComparison.Ordinal))
                commit = line["# branch.oid ".Length..].Trim();
            else if (line.StartsWith("# branch.head ", StringComparison.Ordinal))
                branch = line["# branch.head ".Length..].Trim();
            else if (ChangedPath(line) is { } path)
                changed.Add(path);
        }

        if (commit is null or "(initial)" || branch is null)
            throw CannotTell(directory, "it has no commit yet");
        // What git rev-parse --abbrev-ref names a detached HEAD, and what Branch.Classify reads as detached.
        return new GitCheckout(new GitHead(branch == "(detached)" ? "HEAD" : branch, commit), changed);
    }

    // Porcelain v2: "1 XY sub mH mI mW hH hI path" for a changed entry, "u XY sub m1 m2 m3 mW h1 h2 h3 path" for an unmerged one.
    private static string? ChangedPath(string line)
    {
        var fields = line.StartsWith("1 ", StringComparison.Ordinal) ? 9 : line.StartsWith("u ", StringComparison.Ordinal) ? 11 : 0;
        if (fields == 0)
            return null;
        var parts = line.Split(' ', fields);
        return parts.Length == fields ? parts[^1] : null;
    }

    private static BuildFailure CannotTell(AbsolutePath directory, string why) => BuildFailure.BadInput(
        $"git cannot tell the branch and commit of {directory} ({why}); run the build in a git checkout with at least one commit.");
}

/// <summary>The checkout as git sees it: its HEAD, and the tracked files that differ from it.</summary>
public sealed record GitCheckout(GitHead Head, IReadOnlyList<string> ChangedFiles);
