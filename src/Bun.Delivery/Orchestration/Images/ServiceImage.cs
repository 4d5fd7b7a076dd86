using System.Globalization;
using Bun.Delivery.Integrations.Docker;
using Bun.Delivery.Model.Images;
using Bun.Pipeline.Parameters;

namespace Bun.Delivery.Orchestration.Images;

/// <summary>
/// The image a build makes: the app's name in the registry, the project published into it, and how its container runs:
/// the apphost in /app as the entrypoint, the HTTP port, the user, and the published files kept out of the image.
/// </summary>
public sealed record ServiceImage(string App, AbsolutePath Project, string Entrypoint)
{
    /// <summary>The base when none is given. It has ASP.NET Core, which a self-contained publish does not need.</summary>
    public const string DefaultBaseImage = "mcr.microsoft.com/dotnet/aspnet:10.0";

    public const string WorkingDirectory = "/app";

    public int Port { get; init; } = 8080;

    /// <summary>A numeric user: it exists in the official image (app) and needs no passwd entry on other bases.</summary>
    public string User { get; init; } = "1654";

    /// <summary>Debug symbols and development settings stay out of the image.</summary>
    public IReadOnlyList<string> Excluded { get; init; } = ["**/*.pdb", "**/*.dbg", "appsettings.Development.json"];

    /// <summary>
    /// The image of a publish folder: its files in layers by rate of change (<see cref="PublishLayers"/>) in
    /// <see cref="WorkingDirectory"/>, and <c>BUN_VERSION</c> (the tag) and <c>BUN_SOURCE_COMMIT</c>, which the service's
    /// <c>/version</c> answers.
    /// </summary>
    public LayeredImageRequest Request(
        string publishDirectory, string baseImage, ImageTag tag, string commit,
        IReadOnlyList<string> references, IReadOnlyDictionary<string, string> labels, DateTimeOffset created)
    {
        var container = new ContainerSettings(
            WorkingDirectory,
            [$"./{Entrypoint}"],
            User,
            [Port],
            new Dictionary<string, string>
            {
                ["BUN_VERSION"] = tag.Value,
                ["BUN_SOURCE_COMMIT"] = commit,
                ["ASPNETCORE_HTTP_PORTS"] = Port.ToString(CultureInfo.InvariantCulture),
            });
        return new LayeredImageRequest(baseImage, publishDirectory, PublishLayers.Read(publishDirectory, Excluded), container, references, labels, created);
    }
}
