using Bun.Delivery.Model.Branches;
using Bun.Delivery.Model.Context;
using Bun.Delivery.Model.Images;
using Bun.Delivery.Model.Rules;
using Bun.Delivery.Orchestration.Deployments;
using Bun.Delivery.Tests.Model.Images;
using Bun.Pipeline.Failures;
using Bun.Pipeline.Parameters;
using Git = Bun.Testing.Git;

namespace Bun.Delivery.Tests.EndToEnd;

/// <summary>The gates a deploy checks before anything changes: tested code for stage, committed work everywhere.</summary>
public sealed class DeployGateTests
{
    private const string Image = "127.0.0.1:5000/bun-api";

    [Fact]
    public async Task DeployStage_with_skip_Test_and_no_proof_that_Test_passed_on_the_commit_refuses_with_git_unchanged()
    {
        await using var checkout = await DeliveryCheckout.CreateAsync("release/9.9.9");
        checkout.TestedCommits = false;
        await checkout.CommitAsync();
        await RecordAsync(checkout);
        var head = await checkout.RemoteHeadAsync();

        var run = await checkout.RunAsync("DeployStage");

        run.ExitCode.ShouldBe(1, run.All);
        run.All.ShouldContain(
            $"Won't deploy to stage: its gate is \"tests must pass\", and nothing shows that Test passed on {checkout.Commit[..7]} (no record in .nuke/temp/tests-passed/). " +
            "Let Test run (no --skip Test), or run ./build.sh Test on this commit first; --skip Test means the proof exists already.");
        (await checkout.RemoteHeadAsync()).ShouldBe(head);
        checkout.Simulator.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task DeployDev_has_no_test_gate_and_deploys_an_untested_commit()
    {
        await using var checkout = await DeliveryCheckout.CreateAsync("main");
        checkout.TestedCommits = false;
        await checkout.CommitAsync();
        await RecordAsync(checkout);

        var run = await checkout.RunAsync("DeployDev");

        run.ExitCode.ShouldBe(0, run.All);
    }

    [Fact]
    public async Task A_deploy_from_a_work_tree_with_uncommitted_changes_refuses_naming_the_files()
    {
        await using var checkout = await DeliveryCheckout.CreateAsync("main");
        var service = Path.Combine(checkout.Root, "deploy", "base", "service.yaml");
        await Git.RunAsync(checkout.Root, "add", service);
        await checkout.CommitAsync();
        await File.AppendAllTextAsync(service, "# an edit\n");
        await checkout.RecordPushedImageAsync(Image, DeliveryCheckout.FakeDigest("dirty"), $"main-{checkout.Commit[..7]}-dirty");
        var head = await checkout.RemoteHeadAsync();

        var run = await checkout.RunAsync("DeployDev");

        run.ExitCode.ShouldBe(1, run.All);
        run.All.ShouldContain(
            $"Won't deploy to dev: the work tree has uncommitted changes (deploy/base/service.yaml), so the image main-{checkout.Commit[..7]}-dirty is not commit {checkout.Commit[..7]}. " +
            "Commit or stash them, then run again; a dirty image stays on this machine.");
        (await checkout.RemoteHeadAsync()).ShouldBe(head);
    }

    [Fact]
    public async Task Test_records_its_proof_only_for_a_full_run_on_a_clean_work_tree()
    {
        using var folder = new TempFolder();
        var root = AbsolutePath.From(folder.Path);
        var commit = new string('a', 40);
        var clean = new DeliveryContext(DeliveryHost.Local, Branch.Classify("release/1.0.0"), DeliveryEvent.Push, commit);
        var output = new RecordedOutput();

        await DeploymentGates.RecordPassedTestsAsync(root, clean with { ChangedFiles = ["src/x.cs"] }, allTests: true, output.Output, CancellationToken.None);
        await DeploymentGates.RecordPassedTestsAsync(root, clean, allTests: false, output.Output, CancellationToken.None);
        var beforeFullRun = File.Exists(DeploymentGates.TestProofPath(root, commit));
        await DeploymentGates.RecordPassedTestsAsync(root, clean, allTests: true, output.Output, CancellationToken.None);

        beforeFullRun.ShouldBeFalse(output.Text);
        output.Text.ShouldContain("Not recorded as tested for a deploy: the work tree has uncommitted changes.");
        output.Text.ShouldContain("Not recorded as tested for a deploy: --test-filter ran only some tests.");
        File.Exists(DeploymentGates.TestProofPath(root, commit)).ShouldBeTrue();
        Should.NotThrow(() => DeploymentGates.RequirePassedTests(Environments.Stage, clean, root, isGitHubActions: false, output.Output));
    }

    [Fact]
    public void In_GitHub_Actions_the_proof_is_the_build_job_the_deploy_job_needs()
    {
        using var folder = new TempFolder();
        var context = new DeliveryContext(DeliveryHost.GitHubActions, Branch.Classify("release/1.0.0"), DeliveryEvent.Push, new string('b', 40));
        var output = new RecordedOutput();

        Should.NotThrow(() => DeploymentGates.RequirePassedTests(Environments.Stage, context, AbsolutePath.From(folder.Path), isGitHubActions: true, output.Output));
        var refused = Should.Throw<BuildFailure>(() => DeploymentGates.RequirePassedTests(Environments.Stage, context, AbsolutePath.From(folder.Path), isGitHubActions: false, output.Output));

        output.Text.ShouldContain("this deploy job runs only after the build job that tested bbbbbbb succeeded.");
        refused.ExitCode.ShouldBe(1);
    }

    private static Task RecordAsync(DeliveryCheckout checkout) =>
        checkout.RecordPushedImageAsync(Image, DeliveryCheckout.FakeDigest(checkout.Commit), ImageTags.For(Branch.Classify(checkout.Branch), checkout.Commit).Value);
}
