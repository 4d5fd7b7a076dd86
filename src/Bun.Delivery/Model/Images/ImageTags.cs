using System.Text.RegularExpressions;
using Bun.Delivery.Model.Branches;
using Bun.Delivery.Model.Context;
using Bun.Pipeline.Failures;

namespace Bun.Delivery.Model.Images;

/// <summary>The tag rules of the delivery model (DESIGN §6): which tag a build gets, and which tags belong to a branch.</summary>
public static partial class ImageTags
{
    public const int ShortShaLength = 7;

    /// <summary>What a tag of an image built from a work tree with uncommitted changes ends in: it is not the commit's image.</summary>
    public const string DirtySuffix = "-dirty";

    /// <summary>The tag of the image built for this context: a pull request's own tag, else the branch's; <c>…-dirty</c> from a dirty work tree.</summary>
    public static ImageTag For(DeliveryContext context)
    {
        var tag = context.Event == DeliveryEvent.PullRequest
            ? ForPullRequest(context.PullRequestNumber, context.Commit)
            : For(context.Branch, context.Commit);
        return context.IsDirty ? new ImageTag(tag.Value + DirtySuffix) : tag;
    }

    /// <summary>
    /// <c>feature-&lt;slug&gt;-&lt;sha7&gt;</c>, <c>fix-&lt;slug&gt;-&lt;sha7&gt;</c>, <c>main-&lt;sha7&gt;</c> or
    /// <c>&lt;version&gt;-rc.&lt;sha7&gt;</c>. Other branches get no image.
    /// </summary>
    public static ImageTag For(Branch branch, string commit)
    {
        var sha = ShortSha(commit);
        return branch.Kind switch
        {
            BranchKind.Main => new ImageTag($"main-{sha}"),
            BranchKind.Release => new ImageTag($"{branch.Version}-rc.{sha}"),
            BranchKind.Feature or BranchKind.Fix => new ImageTag($"{BranchPrefix(branch)}{sha}"),
            _ => throw BuildFailure.BadInput(
                $"Images are built for main, release/*, feature/* and fix/* branches and for pull requests; '{branch}' is none of them. " +
                "Rename the branch (e.g. git branch -m feature/<name>) or open a pull request."),
        };
    }

    /// <summary><c>pr-&lt;number&gt;-&lt;sha7&gt;</c>: built locally, never pushed.</summary>
    public static ImageTag ForPullRequest(int? number, string commit) => number is > 0
        ? new ImageTag($"pr-{number}-{ShortSha(commit)}")
        : throw BuildFailure.BadInput(
            "A pull request image is tagged pr-<number>-<sha7>, and this pull request has no number. " +
            "In GitHub Actions it comes from the event payload; on a laptop pass it with --pr-number <n> (e.g. --event pull_request --pr-number 12).");

    /// <summary>Whether a tag was built from this feature or fix branch: exactly its prefix followed by a short sha (and <c>-dirty</c>, if so built).</summary>
    public static bool BelongsTo(Branch branch, string tag)
    {
        var prefix = BranchPrefix(branch);
        if (tag.EndsWith(DirtySuffix, StringComparison.Ordinal))
            tag = tag[..^DirtySuffix.Length];
        return tag.Length == prefix.Length + ShortShaLength
               && tag.StartsWith(prefix, StringComparison.Ordinal)
               && ShortShaPattern().IsMatch(tag.AsSpan(prefix.Length));
    }

    /// <summary><c>feature-&lt;slug&gt;-</c> or <c>fix-&lt;slug&gt;-</c>, the slug taken from the name below <c>feature/</c> or <c>fix/</c>.</summary>
    public static string BranchPrefix(Branch branch) => branch.Kind switch
    {
        BranchKind.Feature => $"feature-{Slug.From(branch.Name["feature/".Length..])}-",
        BranchKind.Fix => $"fix-{Slug.From(branch.Name["fix/".Length..])}-",
        _ => throw BuildFailure.BadInput($"Only feature/* and fix/* branches have their own image tags; '{branch}' is a {branch.Kind.Pattern()} branch."),
    };

    private static string ShortSha(string commit)
    {
        var trimmed = commit.Trim().ToLowerInvariant();
        return trimmed.Length >= ShortShaLength && trimmed.All(Uri.IsHexDigit)
            ? trimmed[..ShortShaLength]
            : throw BuildFailure.BadInput($"'{commit}' is not a commit sha: expected at least {ShortShaLength} hexadecimal characters.");
    }

    [GeneratedRegex("^[0-9a-f]{7}$")]
    private static partial Regex ShortShaPattern();
}
