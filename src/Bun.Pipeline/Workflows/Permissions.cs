namespace Bun.Pipeline.Workflows;

public enum Access
{
    None,
    Read,
    Write,
}

/// <summary>A token's permissions, scope by scope (<c>contents: read</c>); scopes not listed get none.</summary>
public sealed record Permissions(IReadOnlyList<(string Scope, Access Access)> Scopes)
{
    /// <summary>The scopes GitHub knows. <c>attestations</c> is left out: action-validator 0.6.0 refuses it, though GitHub accepts it.</summary>
    public static readonly IReadOnlyList<string> KnownScopes =
    [
        "actions", "checks", "contents", "deployments", "discussions", "id-token", "issues", "packages", "pages",
        "pull-requests", "repository-projects", "security-events", "statuses",
    ];

    public static Permissions ReadContents { get; } = new([("contents", Access.Read)]);

    /// <summary>These permissions with <paramref name="scope"/> set to <paramref name="access"/>.</summary>
    public Permissions With(string scope, Access access) =>
        new(Scopes.Where(entry => entry.Scope != scope).Append((Scope: scope, Access: access)).OrderBy(entry => entry.Scope, StringComparer.Ordinal).ToList());

    public Access Of(string scope) => Scopes.FirstOrDefault(entry => entry.Scope == scope).Access;
}
