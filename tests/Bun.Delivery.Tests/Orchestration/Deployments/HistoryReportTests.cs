using System.Text.Json.Nodes;
using Bun.Delivery.Model.Rules;
using Bun.Delivery.Orchestration.Deployments;
using Bun.Delivery.Tests.Integrations.Argo.Simulator;
using Bun.Delivery.Tests.Integrations.GitOps;
using Bun.Pipeline.Failures;

namespace Bun.Delivery.Tests.Orchestration.Deployments;

public sealed class HistoryReportTests
{
    [Fact]
    public async Task The_table_shows_time_action_version_digest_source_and_verification_newest_first()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync();
        await sandbox.DeployAsync(Environments.Stage, 1);
        sandbox.Argo.Simulator.Configure("bun-api-stage", application => application.Behave(GitOpsSandbox.Image(2).Digest.Value, Rollout.Degraded));
        await Should.ThrowAsync<BuildFailure>(() => sandbox.DeployAsync(Environments.Stage, 2));
        await sandbox.DeployAsync(Environments.Stage, 3, sandbox.WithoutArgoCd);

        HistoryReport.Write(await sandbox.HistoryAsync(Environments.Stage), sandbox.GitOps.Remote, sandbox.GitOps.Output);

        var table = sandbox.Text[sandbox.Text.IndexOf("Deployments of stage", StringComparison.Ordinal)..].Split('\n');
        table[0].ShouldBe($"Deployments of stage, newest first (GitOps repository {sandbox.GitOps.Remote}):");
        table[1].ShouldBe("    TIME (UTC)           ACTION    VERSION                  DIGEST              IMAGE    SOURCE   VERIFIED                BY               COMMIT");
        table[2].ShouldMatch(@"^  > \d{4}-\d\d-\d\d \d\d:\d\d:\d\d  deploy    1\.0\.3 +sha256:[0-9a-f]{12} registry [0-9a-f]{7}  unverified \(no Argo CD\) Bun Tests +[0-9a-f]{7}$");
        table[2].ShouldContain($"sha256:{GitOpsSandbox.Image(3).Digest.Short} registry {GitOpsSandbox.SourceCommit(3)[..7]}");
        table[3].ShouldStartWith("    ");
        table[3].ShouldContain(" deploy    1.0.2 ");
        table[3].ShouldContain(" FAILED ");
        table[4].ShouldContain(" yes ");
        table[5].ShouldStartWith("  > runs now, according to git. VERIFIED: yes = seen healthy through Argo CD; FAILED = its verification failed; unverified (no Argo CD) = ");
    }

    [Fact]
    public async Task A_local_image_and_who_deployed_show_in_the_table_and_the_json()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync();
        var settings = sandbox.WithoutArgoCd with { GitOps = sandbox.GitOps.Settings with { DeployedBy = "octocat" } };
        await using (var deployer = await sandbox.OpenAsync(settings))
            await deployer.DeployAsync(DeploymentSandbox.Request(Environments.Dev, 1) with { LocalImage = true }, CancellationToken.None);
        var history = await sandbox.HistoryAsync(Environments.Dev);
        JsonObject? json = null;

        HistoryReport.Write(history, sandbox.GitOps.Remote, sandbox.GitOps.Output);
        HistoryReport.Write(history, sandbox.GitOps.Remote, sandbox.GitOps.Output, document => json = document);

        var table = sandbox.Text[sandbox.Text.IndexOf("Deployments of dev", StringComparison.Ordinal)..].Split('\n');
        table[2].ShouldMatch(@"^  > .* local +[0-9a-f]{7} +unverified \(no Argo CD\) octocat +[0-9a-f]{7}$");
        var entry = json!["entries"]!.AsArray().Single()!;
        entry["localImage"]!.GetValue<bool>().ShouldBeTrue();
        entry["deployedBy"]!.GetValue<string>().ShouldBe("octocat");
        entry["current"]!.GetValue<bool>().ShouldBeTrue();
        entry["verification"]!.GetValue<string>().ShouldBe("unverified (no Argo CD)");
    }

    [Fact]
    public async Task The_json_lists_every_field_for_machines()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync();
        var outcome = await sandbox.DeployAsync(Environments.Dev, 1);

        JsonObject? json = null;

        HistoryReport.Write(await sandbox.HistoryAsync(Environments.Dev), sandbox.GitOps.Remote, sandbox.GitOps.Output, document => json = document);

        json.ShouldNotBeNull();
        sandbox.Text.ShouldNotContain("Deployments of dev");
        json["environment"]!.GetValue<string>().ShouldBe("dev");
        var entry = json["entries"]!.AsArray().Single()!;
        entry["action"]!.GetValue<string>().ShouldBe("deploy");
        entry["version"]!.GetValue<string>().ShouldBe("1.0.1");
        entry["image"]!.GetValue<string>().ShouldBe(GitOpsSandbox.Image(1).Reference);
        entry["digest"]!.GetValue<string>().ShouldBe(GitOpsSandbox.Image(1).Digest.Value);
        entry["sourceCommit"]!.GetValue<string>().ShouldBe(GitOpsSandbox.SourceCommit(1));
        entry["sourceRef"]!.GetValue<string>().ShouldBe("main");
        entry["verified"]!.GetValue<bool>().ShouldBeTrue();
        entry["commit"]!.GetValue<string>().ShouldBe(outcome.Commit.Sha);
        DateTimeOffset.Parse(entry["time"]!.GetValue<string>()).ShouldBeInRange(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));
    }

    [Fact]
    public async Task A_deployment_a_rollback_replaced_is_shown_as_rolled_back_in_the_table_and_the_json()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync();
        await sandbox.DeployAsync(Environments.Stage, 1);
        var replaced = await sandbox.DeployAsync(Environments.Stage, 2);
        await using (var deployer = await sandbox.OpenAsync())
            await deployer.RollbackAsync(Environments.Stage, null, CancellationToken.None);
        var history = await sandbox.HistoryAsync(Environments.Stage);
        var rollback = history.Current!.Commit;
        JsonObject? json = null;

        HistoryReport.Write(history, sandbox.GitOps.Remote, sandbox.GitOps.Output);
        HistoryReport.Write(history, sandbox.GitOps.Remote, sandbox.GitOps.Output, document => json = document);

        var table = sandbox.Text[sandbox.Text.IndexOf("Deployments of stage", StringComparison.Ordinal)..].Split('\n');
        table[2].ShouldMatch($@" rollback +1\.0\.1 .* yes +Bun Tests +{rollback.Short}$");
        table[3].ShouldMatch($@" deploy +1\.0\.2 .* yes +Bun Tests +{replaced.Commit.Short}  rolled back by {rollback.Short}$");
        table[4].ShouldMatch($@" deploy +1\.0\.1 .* yes +Bun Tests +[0-9a-f]{{7}}$");
        var entries = json!["entries"]!.AsArray();
        entries.Select(entry => entry!["rolledBackBy"]?.GetValue<string>()).ShouldBe([null, rollback.Sha, null]);
        entries.Select(entry => entry!["replaces"]?.GetValue<string>()).ShouldBe([replaced.Commit.Sha, null, null]);
        entries.Select(entry => entry!["action"]!.GetValue<string>()).ShouldBe(["rollback", "deploy", "deploy"]);
    }

    [Fact]
    public async Task A_hand_edit_on_top_is_shown_then_reported_as_an_error()
    {
        await using var sandbox = await DeploymentSandbox.CreateAsync();
        await sandbox.DeployAsync(Environments.Prod, 1, sandbox.WithoutArgoCd);
        await sandbox.GitOps.CommitByHandAsync("apps/bun-api/overlays/prod/kustomization.yaml", text => text + "# edited by hand\n", "edit prod");
        var history = await sandbox.HistoryAsync(Environments.Prod);

        var failure = Should.Throw<BuildFailure>(() => HistoryReport.Write(history, sandbox.GitOps.Remote, sandbox.GitOps.Output));

        sandbox.Text.ShouldContain("not made by Bun: \"edit prod\" (it has no Bun trailers)");
        failure.ExitCode.ShouldBe(1);
        failure.Message.ShouldContain("Can't tell what prod runs now");
    }
}
