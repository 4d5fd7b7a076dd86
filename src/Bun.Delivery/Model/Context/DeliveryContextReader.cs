using Bun.Pipeline;
using Bun.Pipeline.Failures;
using Bun.Pipeline.Parameters;
using Bun.Pipeline.Processes;

namespace Bun.Delivery.Model.Context;

/// <summary>Reads the context from the host the build runs on: GitHub Actions' variables and payload, or git plus the simulating options.</summary>
public static class DeliveryContextReader
{
    public static async Task<DeliveryContext> ReadAsync(
        BuildEnvironment host, SimulatedEvent simulated, ProcessRunner processes, AbsolutePath root, CancellationToken cancellation)
    {
        if (!host.IsGitHubActions)
        {
            // The two git processes run side by side: every build pays for them before it starts. When git fails,
            // both do, and Task.WhenAll rethrows the first one's failure, which says what to do.
            var head = LocalContext.ReadGitAsync(processes, root, cancellation);
            var changedFiles = LocalContext.ReadChangedFilesAsync(processes, root, cancellation);
            await Task.WhenAll(head, changedFiles);
            return LocalContext.Create(await head, simulated) with { ChangedFiles = await changedFiles };
        }
        if (simulated.Given().FirstOrDefault() is { } option)
            throw BuildFailure.BadInput($"{option} simulates a context on a laptop; in GitHub Actions the context comes from the runner. Drop {option}.");
        return await GitHubActionsContext.ReadAsync(host.Variables, cancellation);
    }
}
