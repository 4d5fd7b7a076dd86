using System.Text.Json.Nodes;
using Bun.Delivery.Model.Branches;

namespace Bun.Delivery.Model.Context;

/// <summary>
/// Everything the delivery rules look at, read once when the build starts. For a pull request, <see cref="Branch"/>
/// is its head branch: the checkout is a detached merge commit, and the head is what the pull request is about.
/// </summary>
public sealed record DeliveryContext(DeliveryHost Host, Branch Branch, DeliveryEvent Event, string Commit)
{
    /// <summary>The branch a pull request merges into; null for other events.</summary>
    public string? BaseBranch { get; init; }

    /// <summary>Whether a closed pull request was merged; null for other events.</summary>
    public bool? Merged { get; init; }

    public int? PullRequestNumber { get; init; }

    /// <summary>Tracked files with uncommitted changes (<c>git status</c>, as <c>git describe --dirty</c> counts them); empty in a clean checkout.</summary>
    public IReadOnlyList<string> ChangedFiles { get; init; } = [];

    /// <summary>The work tree differs from <see cref="Commit"/>: what is built from it is not that commit.</summary>
    public bool IsDirty => ChangedFiles.Count > 0;

    public BranchKind Kind => Branch.Kind;
    public string? Version => Branch.Version;
    public bool IsPullRequest => Event is DeliveryEvent.PullRequest or DeliveryEvent.PullRequestClosed;
    public string? HeadBranch => IsPullRequest ? Branch.Name : null;

    /// <summary>The <c>context</c> object of <c>--plan --json</c>; the first eight keys are a contract.</summary>
    public JsonObject Describe() => new()
    {
        ["host"] = Host.Name(),
        ["branch"] = Branch.IsDetached ? null : Branch.Name,
        ["kind"] = Kind.Name(),
        ["version"] = Version,
        ["event"] = Event.Name(),
        ["baseBranch"] = BaseBranch,
        ["merged"] = Merged,
        ["commit"] = Commit,
        ["headBranch"] = HeadBranch,
        ["prNumber"] = PullRequestNumber,
    };

    /// <summary>One line for the log and for messages: <c>pull_request #12 from feature/login into main at 1a2b3c4 (local)</c>.</summary>
    public override string ToString()
    {
        var what = IsPullRequest
            ? $"{Event.Name()}{(PullRequestNumber is { } number ? $" #{number}" : "")} from {Branch} into {BaseBranch}"
              + (Merged switch { true => ", merged", false => ", not merged", null => "" })
            : $"{Event.Name()} of {Branch}";
        return $"{what} at {Commit[..Math.Min(7, Commit.Length)]} ({Host.Name()})";
    }
}
