namespace Bun.Delivery.Integrations.Docker;

/// <summary>
/// An image assembled from files instead of built from a Dockerfile (<see cref="LayeredImageBuilder"/>): the base
/// image, the layers on top of it (the slowest-changing first), the folder their files are read from, how the
/// container runs, the references to tag, the labels and the image's time.
/// </summary>
public sealed record LayeredImageRequest(
    string BaseImage,
    string SourceDirectory,
    IReadOnlyList<ImageLayer> Layers,
    ContainerSettings Container,
    IReadOnlyList<string> References,
    IReadOnlyDictionary<string, string> Labels,
    DateTimeOffset Created);

/// <summary>
/// What a Dockerfile's WORKDIR, ENV, USER, EXPOSE and ENTRYPOINT say. The layers' files go to the working directory;
/// the environment is added to the base's (a name the base sets is replaced).
/// </summary>
public sealed record ContainerSettings(
    string WorkingDirectory,
    IReadOnlyList<string> Entrypoint,
    string User,
    IReadOnlyList<int> Ports,
    IReadOnlyDictionary<string, string> Environment);
