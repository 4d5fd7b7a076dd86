using System.Text.RegularExpressions;
using Bun.Pipeline.Failures;

namespace Bun.Delivery.Model.Branches;

/// <summary>A classified branch. A release branch carries its version; the name is as git writes it, without <c>refs/heads/</c>.</summary>
public sealed partial record Branch(string Name, BranchKind Kind, string? Version = null)
{
    // What `git rev-parse --abbrev-ref HEAD` prints for a detached HEAD; git refuses it as a branch name.
    private const string DetachedHead = "HEAD";
    private const string HeadsPrefix = "refs/heads/";
    private const string ReleasePrefix = "release/";

    public bool IsDetached => Name == DetachedHead;

    /// <summary>
    /// Classifies a branch name or ref. Anything that is not a branch ref (a tag, <c>refs/tags/v1.4.0</c>, or a
    /// detached HEAD) keeps its full name and is of kind other. A malformed release branch is an error.
    /// </summary>
    public static Branch Classify(string reference)
    {
        var name = reference.StartsWith(HeadsPrefix, StringComparison.Ordinal) ? reference[HeadsPrefix.Length..] : reference;
        if (name == "main")
            return new Branch(name, BranchKind.Main);
        if (IsUnder(name, "feature/"))
            return new Branch(name, BranchKind.Feature);
        if (IsUnder(name, "fix/"))
            return new Branch(name, BranchKind.Fix);
        if (!name.StartsWith(ReleasePrefix, StringComparison.Ordinal))
            return new Branch(name, BranchKind.Other);

        var version = name[ReleasePrefix.Length..];
        return ReleaseVersion().IsMatch(version)
            ? new Branch(name, BranchKind.Release, version)
            : throw BuildFailure.BadInput(
                $"Branch '{name}' is not a valid release branch: expected release/MAJOR.MINOR.PATCH, e.g. release/1.4.0. Rename the branch or work on another one.");
    }

    public override string ToString() => IsDetached ? "a detached HEAD" : Name;

    private static bool IsUnder(string name, string prefix) => name.Length > prefix.Length && name.StartsWith(prefix, StringComparison.Ordinal);

    // Semantic versioning's core: three numbers without leading zeros.
    [GeneratedRegex(@"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$")]
    private static partial Regex ReleaseVersion();
}
