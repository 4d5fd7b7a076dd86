namespace Bun.Delivery.Integrations.Docker;

/// <summary>One layer an image is assembled from: what it holds (for the image history and the output) and its files,
/// relative to the folder they are read from, with '/' separators.</summary>
public sealed record ImageLayer(string Description, IReadOnlyList<string> Files);
