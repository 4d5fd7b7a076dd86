namespace Bun.Delivery.Integrations.Docker;

/// <summary>
/// What to build: the context folder, the Dockerfile (inside or outside it; a relative path is relative to the context, as
/// in the build API), full references to tag, labels and build arguments.
/// </summary>
public sealed record ImageBuildRequest(
    string ContextDirectory,
    string Dockerfile,
    IReadOnlyList<string> References,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> BuildArguments);

/// <summary>A built image: its id (<c>sha256:…</c>) and the references it was tagged with in the local engine.</summary>
public sealed record BuiltImage(string Id, IReadOnlyList<string> References);
