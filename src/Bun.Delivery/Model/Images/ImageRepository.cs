using System.Text.RegularExpressions;
using Bun.Pipeline.Failures;

namespace Bun.Delivery.Model.Images;

/// <summary>
/// Where an app's images live: <c>&lt;registry&gt;/&lt;app&gt;</c>, e.g. <c>ghcr.io/bun/bun-api</c> for registry
/// <c>ghcr.io/bun</c>. <see cref="Host"/> is what the registry API is served from; <see cref="Path"/> is the
/// repository name inside it.
/// </summary>
public sealed partial record ImageRepository
{
    private ImageRepository(string host, string path)
    {
        Host = host;
        Path = path;
    }

    public string Host { get; }
    public string Path { get; }
    public string Name => $"{Host}/{Path}";

    /// <summary>A loopback registry speaks plain HTTP, as Docker itself assumes; every other one HTTPS.</summary>
    public bool IsLoopback => Host.Split(':')[0] is "localhost" or "127.0.0.1" or "[::1]";

    public bool IsGitHubContainerRegistry => Host.Equals("ghcr.io", StringComparison.OrdinalIgnoreCase);

    /// <summary>From the <c>--registry</c> value (host, port and optional namespace) and the app name.</summary>
    public static ImageRepository Parse(string registry, string app)
    {
        var trimmed = registry.Trim().TrimEnd('/');
        if (trimmed.Contains("://", StringComparison.Ordinal))
            throw BuildFailure.BadInput($"--registry '{registry}' has a scheme; give host[:port][/namespace] as Docker does, e.g. ghcr.io/bun or 127.0.0.1:5000.");
        var slash = trimmed.IndexOf('/');
        var host = slash < 0 ? trimmed : trimmed[..slash];
        var path = slash < 0 ? app : $"{trimmed[(slash + 1)..]}/{app}";
        if (!HostPattern().IsMatch(host) || !PathPattern().IsMatch(path))
            throw BuildFailure.BadInput(
                $"'{registry}/{app}' is not a valid image repository: expected host[:port][/namespace] with a lower-case path, e.g. ghcr.io/bun or 127.0.0.1:5000.");
        return new ImageRepository(host.ToLowerInvariant(), path);
    }

    /// <summary>From a full repository name as image references carry it, e.g. <c>ghcr.io/bun/bun-api</c> or <c>127.0.0.1:5000/bun-api</c>.</summary>
    public static ImageRepository FromName(string name)
    {
        var slash = name.LastIndexOf('/');
        return slash > 0
            ? Parse(name[..slash], name[(slash + 1)..])
            : throw BuildFailure.BadInput($"'{name}' is not a full image repository: expected host[:port]/path, e.g. ghcr.io/bun/bun-api.");
    }

    public string Reference(ImageTag tag) => $"{Name}:{tag.Value}";

    public string Reference(ImageDigest digest) => $"{Name}@{digest.Value}";

    public override string ToString() => Name;

    [GeneratedRegex(@"^([A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*|\[[0-9a-fA-F:]+\])(:[0-9]{1,5})?$")]
    private static partial Regex HostPattern();

    // The distribution spec's repository name: lower-case components separated by '/'.
    [GeneratedRegex(@"^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*$")]
    private static partial Regex PathPattern();
}
