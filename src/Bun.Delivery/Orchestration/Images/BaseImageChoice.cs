using Bun.Delivery.Integrations.Docker;
using Bun.Delivery.Integrations.Registry;
using Bun.Pipeline.Failures;
using Bun.Pipeline.Output;

namespace Bun.Delivery.Orchestration.Images;

/// <summary>
/// The base DockerImage builds on, decided when the build starts so that the plan can show it: the configured one
/// (<c>--base-image</c>, else the ASP.NET image) when the engine has it or its registry answers; else, for the default,
/// the local <see cref="BaseImageMaker.DefaultReference"/>. <see cref="MustBeMade"/> is DockerImage's conditional
/// dependency on the BaseImage target: the chosen base is neither in the engine nor pullable.
/// </summary>
public sealed record BaseImageChoice(string Reference, bool MustBeMade)
{
    private static readonly TimeSpan EngineTimeout = TimeSpan.FromSeconds(3);

    /// <param name="configured"><c>--base-image</c>; null for the default.</param>
    public static async Task<BaseImageChoice> DecideAsync(string? configured, string? dockerHost, BuildOutput output, CancellationToken cancellation)
    {
        var wanted = string.IsNullOrWhiteSpace(configured) ? ServiceImage.DefaultBaseImage : configured.Trim();
        DockerEngine engine;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            timeout.CancelAfter(EngineTimeout);
            engine = await DockerEngine.ConnectAsync(dockerHost, timeout.Token);
        }
        catch (Exception unreachable) when (unreachable is BuildFailure or OperationCanceledException && !cancellation.IsCancellationRequested)
        {
            return new BaseImageChoice(wanted, MustBeMade: false);  // DockerImage reports the missing engine, with what to start.
        }

        using (engine)
        {
            if (await ImageImport.IdOfAsync(engine, wanted, cancellation) is not null || (!IsMadeByBaseImage(wanted) && await RegistryProbe.AnswersAsync(wanted, RegistryProbe.DefaultTimeout, cancellation)))
                return new BaseImageChoice(wanted, MustBeMade: false);
            if (wanted != ServiceImage.DefaultBaseImage)
                return new BaseImageChoice(wanted, MustBeMade: true);

            var local = BaseImageMaker.DefaultReference;
            var missing = await ImageImport.IdOfAsync(engine, local, cancellation) is null;
            output.Dim($"The base image {wanted} is not in the engine and {RegistryProbe.RegistryOf(wanted)} does not answer: DockerImage builds on {local}" +
                       (missing ? ", which BaseImage makes first." : ", which the engine has."));
            return new BaseImageChoice(local, missing);
        }
    }

    // BaseImage's own images exist in no registry: missing, they are made, never pulled.
    private static bool IsMadeByBaseImage(string reference) => reference.StartsWith("bun/base:", StringComparison.Ordinal);
}
