namespace Bun.Api;

/// <summary>What the image was built from: DockerImage sets BUN_VERSION (the tag) and BUN_SOURCE_COMMIT in the image.</summary>
public sealed record BuildInfo(string Version, string SourceCommit)
{
    public const string Unknown = "unknown";

    public static BuildInfo From(IConfiguration configuration) => new(
        NonEmpty(configuration["BUN_VERSION"]) ?? "0.0.0-local",
        NonEmpty(configuration["BUN_SOURCE_COMMIT"]) ?? Unknown);

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
