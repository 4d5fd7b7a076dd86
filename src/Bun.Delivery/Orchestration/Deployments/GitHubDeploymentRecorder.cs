using Bun.Delivery.Integrations.GitHub;
using Bun.Delivery.Integrations.GitOps;
using Bun.Delivery.Model.Rules;
using Bun.Delivery.Orchestration.GitHub;
using Bun.Pipeline.Failures;
using Bun.Pipeline.Output;
using Octokit;
using Deployment = Bun.Delivery.Integrations.GitOps.Deployment;
using Verification = Bun.Delivery.Integrations.GitOps.Verification;

namespace Bun.Delivery.Orchestration.Deployments;

/// <summary>
/// Records deployments as GitHub deployments: exactly one per deploy, promotion or rollback, with the source commit as
/// its ref and the version and digest as its payload, moving from <c>in_progress</c> to <c>success</c> or
/// <c>failure</c>. Inside an Actions job bound to a GitHub environment, GitHub has created that deployment already: the
/// statuses go on it. A rollback marks the deployment it replaces inactive. Without a token a laptop skips recording
/// with a notice, while GitHub Actions refuses before anything is deployed; any other failure to record is a warning.
/// </summary>
public sealed class GitHubDeploymentRecorder(GitHubAccess access, BuildOutput output, Func<DeliveryEnvironment, string?> environmentUrl) : IDeploymentRecorder
{
    public async Task<IDeploymentRecord> StartAsync(Deployment deployment, DeliveryEnvironment environment, CancellationToken cancellation)
    {
        var api = await access.OpenOptionalAsync("recording the deployment on GitHub", "deployments: write", output, cancellation);
        if (api is null)
            return new Unrecorded();
        var records = new DeploymentRecords(api);
        var links = new DeploymentLinks(environmentUrl(environment), access.RunUrl);
        try
        {
            var replaced = deployment.Action == DeploymentAction.Rollback ? await records.ActiveAsync(environment.Name, cancellation) : null;
            var id = await ExistingAsync(records, environment, cancellation)
                     ?? await records.CreateAsync(new DeploymentRecordRequest(environment.Name, deployment.SourceCommit, deployment.Version,
                         deployment.Image.Digest.Value, environment.Gate == Gate.ApprovalsAndChecks, deployment.Subject), cancellation);
            await records.SetStatusAsync(id, DeploymentState.InProgress, environment.Name, links, $"{deployment.Action} of {deployment.Version}", cancellation);
            output.Info($"GitHub deployment {id} of {deployment.Version} to {environment} is in progress.");
            return new Recorded(records, id, replaced, environment, links, output);
        }
        catch (BuildFailure failure)
        {
            output.Warning($"The deployment is not recorded on GitHub: {failure.Message}");
            return new Unrecorded();
        }
    }

    // In an Actions job bound to the environment, the deployment GitHub made for the job.
    private async Task<long?> ExistingAsync(DeploymentRecords records, DeliveryEnvironment environment, CancellationToken cancellation) =>
        access.RunId is { } run && access.InGitHubActions ? await records.FindRunDeploymentAsync(environment.Name, run, cancellation) : null;

    private sealed class Unrecorded : IDeploymentRecord
    {
        public Task SucceededAsync(DeploymentOutcome outcome, CancellationToken cancellation) => Task.CompletedTask;

        public Task FailedAsync(string reason, CancellationToken cancellation) => Task.CompletedTask;
    }

    private sealed class Recorded(DeploymentRecords records, long id, long? replaced, DeliveryEnvironment environment, DeploymentLinks links, BuildOutput output)
        : IDeploymentRecord
    {
        public async Task SucceededAsync(DeploymentOutcome outcome, CancellationToken cancellation)
        {
            var description = outcome.Verification == Verification.Healthy ? $"{outcome.Deployment.Version} verified healthy" : $"{outcome.Deployment.Version} committed, not verified";
            await RecordAsync(DeploymentState.Success, description, cancellation);
            if (replaced is { } earlier && earlier != id)
                await RecordAsync(DeploymentState.Inactive, $"replaced by the rollback to {outcome.Deployment.Version}", cancellation, earlier);
        }

        public Task FailedAsync(string reason, CancellationToken cancellation) => RecordAsync(DeploymentState.Failure, reason.Split('\n')[0], cancellation);

        private async Task RecordAsync(DeploymentState state, string description, CancellationToken cancellation, long? deployment = null)
        {
            try
            {
                await records.SetStatusAsync(deployment ?? id, state, environment.Name, links, description, cancellation);
            }
            catch (BuildFailure failure)
            {
                output.Warning($"The deployment's own result stands; only its GitHub record is incomplete: {failure.Message}");
            }
        }
    }
}
