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
            var checkout = await LocalContext.ReadCheckoutAsync(processes, root, cancellation);
            return LocalContext.Create(checkout.Head, simulated) with { ChangedFiles = checkout.ChangedFiles };
        }
        if (simulated.Given().FirstOrDefault() is { } option)
            throw BuildFailure.BadInput($"{option} simulates a context on a laptop; in GitHub Actions the context comes from the runner. Drop {option}.");
        return await GitHubActionsContext.ReadAsync(host.Variables, cancellation);
    }
}
