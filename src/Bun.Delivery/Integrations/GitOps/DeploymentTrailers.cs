namespace Bun.Delivery.Integrations.GitOps;

/// <summary>
/// The git trailers that make the GitOps history the deployment history (DESIGN §7). A deployment commit carries
/// <c>Bun-Action</c> … <c>Bun-Source-Ref</c> (and, when they apply, <c>Bun-Image-Local</c>, <c>Bun-Argo-CD: none</c>, <c>Bun-Deployed-By</c>), a rollback also <c>Bun-Replaces: &lt;sha of the deployment it rolls back from&gt;</c>; a verification is an empty follow-up commit with <c>Bun-Action: verify</c>,
/// <c>Bun-Verifies: &lt;sha&gt;</c> and <c>Bun-Verified: true|false</c>; the commit that seeds a repository has <c>Bun-Action: init</c>.
/// </summary>
public static class DeploymentTrailers
{
    public const string Action = "Bun-Action";
    public const string Environment = "Bun-Environment";
    public const string App = "Bun-App";
    public const string Image = "Bun-Image";
    public const string Version = "Bun-Version";
    public const string SourceCommit = "Bun-Source-Commit";
    public const string SourceRef = "Bun-Source-Ref";
    public const string Replaces = "Bun-Replaces";
    public const string ImageLocal = "Bun-Image-Local";
    public const string DeployedBy = "Bun-Deployed-By";
    public const string ArgoCd = "Bun-Argo-CD";
    public const string Verifies = "Bun-Verifies";
    public const string Verified = "Bun-Verified";

    public const string VerifyAction = "verify";
    public const string InitAction = "init";

    public static string Format(Deployment deployment) => Lines(
    [
        (Action, deployment.Action.ToString().ToLowerInvariant()),
        (Environment, deployment.Environment),
        (App, deployment.App),
        (Image, deployment.Image.Reference),
        (Version, deployment.Version),
        (SourceCommit, deployment.SourceCommit),
        (SourceRef, deployment.SourceRef),
        .. deployment.Replaces is { } replaced ? [(Replaces, replaced.Sha)] : Array.Empty<(string, string)>(),
        .. deployment.LocalImage ? [(ImageLocal, "true")] : Array.Empty<(string, string)>(),
        .. deployment.WithoutArgoCd ? [(ArgoCd, "none")] : Array.Empty<(string, string)>(),
        .. deployment.DeployedBy is { Length: > 0 } who ? [(DeployedBy, OneLine(who))] : Array.Empty<(string, string)>(),
    ]);

    public static string FormatVerification(Deployment deployment, GitOpsCommit commit, bool healthy) => Lines(
        (Action, VerifyAction),
        (Environment, deployment.Environment),
        (App, deployment.App),
        (Verifies, commit.Sha),
        (Verified, healthy ? "true" : "false"));

    public static string FormatInit(string app) => Lines((Action, InitAction), (App, app));

    /// <summary>Reads <c>Key: value</c> lines as <c>git log --format=%(trailers:only,unfold)</c> prints them; the first of a key wins.</summary>
    public static IReadOnlyDictionary<string, string> Parse(string trailers)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in trailers.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = line.IndexOf(':');
            if (colon > 0)
                values.TryAdd(line[..colon].Trim(), line[(colon + 1)..].Trim());
        }

        return values;
    }

    /// <summary>The deployment the trailers describe, or why they don't describe one.</summary>
    public static (Deployment? Deployment, string? Problem) ReadDeployment(IReadOnlyDictionary<string, string> trailers)
    {
        if (!trailers.TryGetValue(Action, out var action))
            return (null, "it has no Bun trailers");
        if (!Enum.TryParse<DeploymentAction>(action, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
            return (null, $"its {Action} is '{action}'");
        string[] required = [Environment, App, Image, Version, SourceCommit, SourceRef];
        var missing = required.Where(key => !trailers.ContainsKey(key)).ToList();
        if (missing.Count > 0)
            return (null, $"it lacks the trailers {string.Join(", ", missing)}");
        if (!PinnedImage.TryParse(trailers[Image], out var image))
            return (null, $"its {Image} '{trailers[Image]}' is not an image by digest");
        var replaces = trailers.TryGetValue(Replaces, out var replaced) && replaced.Length > 0 ? new GitOpsCommit(replaced) : null;
        return (new Deployment(parsed, trailers[Environment], trailers[App], image, trailers[Version], trailers[SourceCommit], trailers[SourceRef])
        {
            Replaces = replaces,
            LocalImage = trailers.GetValueOrDefault(ImageLocal) == "true",
            WithoutArgoCd = trailers.GetValueOrDefault(ArgoCd) == "none",
            DeployedBy = trailers.GetValueOrDefault(DeployedBy),
        }, null);
    }

    // A trailer is one line: a name with a line break in it must not start a trailer of its own.
    private static string OneLine(string value) => string.Join(' ', value.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static string Lines(params (string Key, string Value)[] trailers) =>
        string.Join('\n', trailers.Select(trailer => $"{trailer.Key}: {trailer.Value}"));
}
