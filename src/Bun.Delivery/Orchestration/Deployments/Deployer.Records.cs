using Bun.Delivery.Integrations.GitOps;
using Bun.Delivery.Model.Rules;
using Bun.Pipeline.Failures;

namespace Bun.Delivery.Orchestration.Deployments;

/// <summary>Each deploy, promotion and rollback is recorded (<see cref="DeploymentSettings.Recorder"/>) around its own work, which decides the result.</summary>
public sealed partial class Deployer
{
    private async Task<DeploymentOutcome> RecordedAsync(Deployment deployment, DeliveryEnvironment environment, Func<Task<DeploymentOutcome>> apply, CancellationToken cancellation)
    {
        RequireCluster(environment);
        if (_settings.Recorder is not { } recorder)
            return await apply();
        var record = await recorder.StartAsync(deployment, environment, cancellation);
        DeploymentOutcome outcome;
        try
        {
            outcome = await apply();
        }
        catch (BuildFailure failure)
        {
            await record.FailedAsync(failure.Message, CancellationToken.None);
            throw;
        }

        await record.SucceededAsync(outcome, CancellationToken.None);
        return outcome;
    }
}
