namespace Bun.Delivery.Model.Branches;

/// <summary>The branch kinds of the delivery model: the kind, not the name, decides what CI does.</summary>
public enum BranchKind
{
    Main,
    Feature,
    Release,
    Fix,
    Other,
}

public static class BranchKinds
{
    /// <summary>How a kind is written in rules and messages: <c>feature/*</c>.</summary>
    public static string Pattern(this BranchKind kind) => kind switch
    {
        BranchKind.Main => "main",
        BranchKind.Feature => "feature/*",
        BranchKind.Release => "release/*",
        BranchKind.Fix => "fix/*",
        _ => "other",
    };

    /// <summary>The name in <c>--plan --json</c>: <c>feature</c>.</summary>
    public static string Name(this BranchKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>"main", "release/* branches", "main, feature/* or fix/* branches", "any branch".</summary>
    public static string Describe(IReadOnlyList<BranchKind> kinds)
    {
        if (kinds.Count == Enum.GetValues<BranchKind>().Length)
            return "any branch";
        if (kinds is [BranchKind.Main])
            return "main";
        return Wording.OneOf(kinds.Select(Pattern)) + " branches";
    }
}
