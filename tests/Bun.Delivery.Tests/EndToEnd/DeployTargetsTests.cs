using Bun.Delivery.Integrations.Registry;
using Bun.Delivery.Model.Branches;
using Bun.Delivery.Model.Images;
using Bun.Delivery.Tests.Integrations.Argo.Simulator;
using Bun.Delivery.Tests.Integrations.Docker;
using Bun.Delivery.Tests.Integrations.GitHub;
using Bun.Delivery.Tests.Integrations.Registry;
using Bun.Delivery.Tests.Model.Images;
using Xunit.Abstractions;

namespace Bun.Delivery.Tests.EndToEnd;

/// <summary>
/// The deploy targets of the real build, run in-process in a real checkout, against a real GitOps remote, the Argo CD
/// simulator and the real registry. The first scenario runs the whole chain, DockerImage and PushImage included, on the
/// real engine; the others stand in for PushImage with the record it leaves behind, over real manifests in the registry,
/// so that a promotion really retags them.
/// </summary>
[Collection(ContainerImagesCollection.Name)]
public sealed class DeployTargetsTests(DockerEngineFixture docker, RegistryServer registry, ITestOutputHelper log)
{
    private const string Release = "release/9.9.9";

    [SkippableFact]
    public async Task DeployStage_builds_pushes_and_deploys_the_image_then_Rollback_restores_the_first_build()
    {
        docker.RequireBaseImage(log);
        registry.Require(log);
        await using var checkout = await DeliveryCheckout.CreateAsync(Release, withService: true);
        var registryNamespace = $"{registry.Address}/t-{Guid.NewGuid().ToString("N")[..8]}";
        var repository = ImageRepository.Parse(registryNamespace, "bun-api");
        string[] deployStage = ["DeployStage", "--skip", "Compile", "Test", "--registry", registryNamespace, "--base-image", docker.BaseImage];
        using var client = new RegistryClient(repository, null, new RecordedOutput().Output);
        var tags = new List<string>();
        try
        {
            tags.Add($"9.9.9-rc.{checkout.Commit[..7]}");
            var first = await checkout.RunWithDependenciesAsync(deployStage);

            first.ExitCode.ShouldBe(0, first.All);
            var firstDigest = (await client.ResolveAsync(tags[0], CancellationToken.None))!;
            (await PushedImage.ReadAsync(checkout.PushedImageRecord, CancellationToken.None))
                .ShouldBe(new PushedImage(repository.Name, tags[0], firstDigest.Value));
            first.Out.ShouldContain($"deploy bun-api {tags[0]} to stage: verified.");
            (await checkout.PinnedAsync("stage")).ShouldBe(firstDigest.Value);
            checkout.Simulator.With("bun-api-stage", application => application.LiveDigest).ShouldBe(firstDigest.Value);

            await checkout.CommitAsync();
            tags.Add($"9.9.9-rc.{checkout.Commit[..7]}");
            var second = await checkout.RunWithDependenciesAsync(deployStage);

            second.ExitCode.ShouldBe(0, second.All);
            var secondDigest = (await client.ResolveAsync(tags[1], CancellationToken.None))!;
            secondDigest.ShouldNotBe(firstDigest);
            (await checkout.PinnedAsync("stage")).ShouldBe(secondDigest.Value);

            var rollback = await checkout.RunAsync("Rollback", "--environment", "stage");

            rollback.ExitCode.ShouldBe(0, rollback.All);
            (await checkout.PinnedAsync("stage")).ShouldBe(firstDigest.Value);
            checkout.Simulator.With("bun-api-stage", application => application.LiveDigest).ShouldBe(firstDigest.Value);
            var history = DeliveryCheckout.Json(await checkout.RunAsync("History", "--environment", "stage", "--json"));
            history["entries"]!.AsArray().Select(entry => (entry!["action"]!.GetValue<string>(), entry["version"]!.GetValue<string>()))
                .ShouldBe([("rollback", tags[0]), ("deploy", tags[1]), ("deploy", tags[0])]);
        }
        finally
        {
            foreach (var tag in tags)
                await TestImages.RemoveAsync(docker.Engine!, $"bun-api:{tag}", repository.Reference(new ImageTag(tag)));
        }
    }

    [SkippableFact]
    public async Task DeployStage_twice_then_Rollback_puts_the_first_digest_back_and_History_shows_deploy_deploy_rollback()
    {
        registry.Require(log);
        await using var checkout = await DeliveryCheckout.CreateAsync(Release);
        var repository = registry.NewRepository();
        using var seeder = new RegistrySeeder(repository);
        var firstCommit = checkout.Commit;
        var first = await PushAsync(checkout, seeder, repository, "first");

        var firstDeploy = await checkout.RunAsync("DeployStage");

        firstDeploy.ExitCode.ShouldBe(0, firstDeploy.All);
        firstDeploy.Out.ShouldContain($"deploy bun-api 9.9.9-rc.{firstCommit[..7]} to stage: verified.");
        (await checkout.PinnedAsync("stage")).ShouldBe(first.Value);

        var secondCommit = await checkout.CommitAsync();
        var second = await PushAsync(checkout, seeder, repository, "second");
        var secondDeploy = await checkout.RunAsync("DeployStage");

        secondDeploy.ExitCode.ShouldBe(0, secondDeploy.All);
        (await checkout.PinnedAsync("stage")).ShouldBe(second.Value);
        checkout.Simulator.With("bun-api-stage", application => application.LiveDigest).ShouldBe(second.Value);

        var rollback = await checkout.RunAsync("Rollback", "--environment", "stage");

        rollback.ExitCode.ShouldBe(0, rollback.All);
        rollback.Out.ShouldContain($"Rolling stage back to 9.9.9-rc.{firstCommit[..7]} ({repository.Reference(first)})");
        (await checkout.PinnedAsync("stage")).ShouldBe(first.Value);
        checkout.Simulator.With("bun-api-stage", application => application.LiveDigest).ShouldBe(first.Value);
        var rollbackTrailers = (await checkout.TrailersAsync(2))[1];
        rollbackTrailers.ShouldBe(new Dictionary<string, string>
        {
            ["Bun-Action"] = "rollback",
            ["Bun-Environment"] = "stage",
            ["Bun-App"] = "bun-api",
            ["Bun-Image"] = repository.Reference(first),
            ["Bun-Version"] = $"9.9.9-rc.{firstCommit[..7]}",
            ["Bun-Source-Commit"] = firstCommit,
            ["Bun-Source-Ref"] = Release,
            ["Bun-Replaces"] = await checkout.RemoteGitAsync("rev-parse", "HEAD~3"),
            ["Bun-Deployed-By"] = DeliveryCheckout.GitUser,
        });

        var table = await checkout.RunAsync("History", "--environment", "stage");

        table.ExitCode.ShouldBe(0, table.All);
        var rows = table.Out.Split('\n').SkipWhile(line => !line.StartsWith("Deployments of stage", StringComparison.Ordinal)).Skip(2).Take(3).ToList();
        rows[0].ShouldMatch($@"^  > \S+ \S+ +rollback +9\.9\.9-rc\.{firstCommit[..7]} +sha256:{first.Short} registry +{firstCommit[..7]} +yes +Bun Tests +[0-9a-f]{{7}}$");
        rows[1].ShouldMatch($@"^    \S+ \S+ +deploy +9\.9\.9-rc\.{secondCommit[..7]} +sha256:{second.Short} registry +{secondCommit[..7]} +yes +Bun Tests +[0-9a-f]{{7}}  rolled back by [0-9a-f]{{7}}$");
        rows[2].ShouldMatch($@"^    \S+ \S+ +deploy +9\.9\.9-rc\.{firstCommit[..7]} +sha256:{first.Short} registry +{firstCommit[..7]} +yes +Bun Tests +[0-9a-f]{{7}}$");

        var json = await checkout.RunAsync("History", "--environment", "stage", "--json");

        json.ExitCode.ShouldBe(0, json.All);
        var document = DeliveryCheckout.Json(json);
        document["environment"]!.GetValue<string>().ShouldBe("stage");
        document["repository"]!.GetValue<string>().ShouldBe(checkout.Remote);
        var entries = document["entries"]!.AsArray().Select(entry => entry!.AsObject()).ToList();
        entries.Select(entry => entry["action"]!.GetValue<string>()).ShouldBe(["rollback", "deploy", "deploy"]);
        entries.Select(entry => entry["digest"]!.GetValue<string>()).ShouldBe([first.Value, second.Value, first.Value]);
        entries.Select(entry => entry["sourceCommit"]!.GetValue<string>()).ShouldBe([firstCommit, secondCommit, firstCommit]);
        entries.ShouldAllBe(entry => entry["sourceRef"]!.GetValue<string>() == Release && entry["verified"]!.GetValue<bool>());
        entries[0]["commit"]!.GetValue<string>().ShouldBe(await checkout.RemoteGitAsync("rev-parse", "HEAD~1"));
        entries[1]["rolledBackBy"]!.GetValue<string>().ShouldBe(entries[0]["commit"]!.GetValue<string>());
        json.Error.ShouldContain("History");

        foreach (var run in new[] { firstDeploy, secondDeploy, rollback, table, json })
            run.All.ShouldNotContain(checkout.Simulator.AccountToken);
    }

    [SkippableFact]
    public async Task PromoteProd_tags_the_digest_stage_verified_as_the_release_in_the_registry_and_deploys_it_to_prod()
    {
        registry.Require(log);
        await using var checkout = await DeliveryCheckout.CreateAsync(Release);
        var repository = registry.NewRepository();
        using var seeder = new RegistrySeeder(repository);
        var image = await PushAsync(checkout, seeder, repository, "release");
        (await checkout.RunAsync("DeployStage")).ExitCode.ShouldBe(0);
        await using var github = ReadyOnGitHub(checkout.Commit);

        var promote = await checkout.RunAsync(["PromoteProd", .. GitHubOptions(github)]);

        promote.ExitCode.ShouldBe(0, promote.All);
        promote.Out.ShouldContain("Production gate passed: Ci green on");
        promote.Out.ShouldContain($"Retagged {repository.Reference(image)} as 9.9.9, without rebuilding.");
        promote.Out.ShouldContain("Released v9.9.9: https://github.com/bun/bun/releases/tag/v9.9.9");
        github.Tag("v9.9.9").ShouldBe(checkout.Commit);
        github.Deployments("prod").ShouldHaveSingleItem().Statuses.Select(status => (string?)status["state"]).ShouldBe(["in_progress", "success"]);
        using var client = new RegistryClient(repository, null, new RecordedOutput().Output);
        (await client.ResolveAsync("9.9.9", CancellationToken.None)).ShouldBe(image);
        (await checkout.PinnedAsync("prod")).ShouldBe(image.Value);
        var trailers = (await checkout.TrailersAsync(2))[1];
        (trailers["Bun-Action"], trailers["Bun-Environment"], trailers["Bun-Version"], trailers["Bun-Image"])
            .ShouldBe(("promote", "prod", "9.9.9", repository.Reference(image)));
    }

    [SkippableFact]
    public async Task PromoteProd_refuses_when_stage_does_not_run_the_release_head_and_tags_nothing()
    {
        registry.Require(log);
        await using var checkout = await DeliveryCheckout.CreateAsync(Release);
        var repository = registry.NewRepository();
        using var seeder = new RegistrySeeder(repository);
        await PushAsync(checkout, seeder, repository, "release");
        (await checkout.RunAsync("DeployStage")).ExitCode.ShouldBe(0);
        var staged = checkout.Commit;
        var head = await checkout.CommitAsync();

        var promote = await checkout.RunAsync("PromoteProd");

        promote.ExitCode.ShouldBe(1, promote.All);
        promote.Out.ShouldContain($"stage runs {staged[..7]}, release HEAD is {head[..7]}: deploy to stage first.");
        using var client = new RegistryClient(repository, null, new RecordedOutput().Output);
        (await client.ResolveAsync("9.9.9", CancellationToken.None)).ShouldBeNull();
    }

    [SkippableFact]
    public async Task PromoteProd_refuses_a_release_tag_that_exists_with_another_digest_and_changes_nothing()
    {
        registry.Require(log);
        await using var checkout = await DeliveryCheckout.CreateAsync(Release);
        var repository = registry.NewRepository();
        using var seeder = new RegistrySeeder(repository);
        var image = await PushAsync(checkout, seeder, repository, "release");
        var other = await seeder.TagAsync("9.9.9", "an older build");
        (await checkout.RunAsync("DeployStage")).ExitCode.ShouldBe(0);
        var head = await checkout.RemoteHeadAsync();
        await using var github = ReadyOnGitHub(checkout.Commit);

        var promote = await checkout.RunAsync(["PromoteProd", .. GitHubOptions(github)]);

        promote.ExitCode.ShouldBe(1, promote.All);
        github.Tag("v9.9.9").ShouldBeNull();
        promote.Out.ShouldContain(
            $"Won't tag {repository.Reference(image)} as 9.9.9: {repository.Reference(new ImageTag("9.9.9"))} already exists with {other}, and release tags are immutable. Nothing was changed.");
        using var client = new RegistryClient(repository, null, new RecordedOutput().Output);
        (await client.ResolveAsync("9.9.9", CancellationToken.None)).ShouldBe(other);
        (await checkout.RemoteHeadAsync()).ShouldBe(head);
        checkout.Simulator.Requests.ShouldNotContain(request => request.Path == "/api/v1/applications/bun-api-prod/sync");
    }

    [SkippableFact]
    public async Task PromoteProd_run_again_finds_the_tag_on_the_same_digest_and_goes_on()
    {
        registry.Require(log);
        await using var checkout = await DeliveryCheckout.CreateAsync(Release);
        var repository = registry.NewRepository();
        using var seeder = new RegistrySeeder(repository);
        var image = await PushAsync(checkout, seeder, repository, "release");
        (await checkout.RunAsync("DeployStage")).ExitCode.ShouldBe(0);
        await using var github = ReadyOnGitHub(checkout.Commit);
        (await checkout.RunAsync(["PromoteProd", .. GitHubOptions(github)])).ExitCode.ShouldBe(0);

        var again = await checkout.RunAsync(["PromoteProd", .. GitHubOptions(github)]);

        again.ExitCode.ShouldBe(0, again.All);
        again.Out.ShouldContain($"9.9.9 already tags {repository.Reference(image)}: promoting it again.");
        again.Out.ShouldContain("v9.9.9 is released already");
        github.Releases().ShouldHaveSingleItem();
        using var client = new RegistryClient(repository, null, new RecordedOutput().Output);
        (await client.ResolveAsync("9.9.9", CancellationToken.None)).ShouldBe(image);
        (await checkout.PinnedAsync("prod")).ShouldBe(image.Value);
    }

    [SkippableFact]
    public async Task PromoteProd_refuses_a_release_whose_check_is_red_on_GitHub_and_changes_nothing()
    {
        registry.Require(log);
        await using var checkout = await DeliveryCheckout.CreateAsync(Release);
        var repository = registry.NewRepository();
        using var seeder = new RegistrySeeder(repository);
        await PushAsync(checkout, seeder, repository, "release");
        (await checkout.RunAsync("DeployStage")).ExitCode.ShouldBe(0);
        await using var github = ReadyOnGitHub(checkout.Commit);
        github.AddCheckRun(checkout.Commit, "Ci", "failure");

        var promote = await checkout.RunAsync(["PromoteProd", .. GitHubOptions(github)]);

        promote.ExitCode.ShouldBe(1, promote.All);
        promote.Out.ShouldContain($"check 'Ci' is failure on {checkout.Commit[..7]}");
        using var client = new RegistryClient(repository, null, new RecordedOutput().Output);
        (await client.ResolveAsync("9.9.9", CancellationToken.None)).ShouldBeNull();
        github.Deployments("prod").ShouldBeEmpty();
    }

    // GitHub as a ready release finds it: the release HEAD came through an approved pull request, Ci is green, a ruleset requires both.
    private static GitHubDouble ReadyOnGitHub(string head)
    {
        var github = GitHubDouble.Start();
        github.CutBranch(Release);
        var fix = github.MergePullRequest("fix/release", Release, "Prepare 9.9.9", sha: head);
        github.Review(fix, "alice", "APPROVED");
        github.AddCheckRun(head, "Ci", "success");
        github.AddRuleset("release branches", "refs/heads/release/*", ["Ci"], approvals: 1);
        return github;
    }

    private static string[] GitHubOptions(GitHubDouble github) =>
        ["--github-token", github.Token, "--github-api-url", github.Url.ToString(), "--github-repository", $"{github.Owner}/{github.Name}"];

    // What PushImage would do for the checkout's commit: a real manifest under the commit's tag, and the record.
    private static async Task<ImageDigest> PushAsync(DeliveryCheckout checkout, RegistrySeeder seeder, ImageRepository repository, string image)
    {
        var tag = $"9.9.9-rc.{checkout.Commit[..7]}";
        var digest = await seeder.TagAsync(tag, image);
        await checkout.RecordPushedImageAsync(repository.Name, digest, tag);
        return digest;
    }
}

/// <summary>The deploy targets' failures, each a clear error with a non-zero exit code and the GitOps repository as it was.</summary>
public sealed class DeployTargetFaultTests
{
    private const string Release = "release/9.9.9";
    private const string Image = "127.0.0.1:5000/bun-api";

    [SkippableFact]
    public async Task A_failed_verification_in_test_is_rolled_back_automatically_through_DeployTest()
    {
        await using var checkout = await DeliveryCheckout.CreateAsync("main");
        var good = await RecordAsync(checkout, "good");
        (await checkout.RunAsync("DeployTest")).ExitCode.ShouldBe(0);
        await checkout.CommitAsync();
        var bad = await RecordAsync(checkout, "bad");
        checkout.Simulator.Configure("bun-api-test", application => application.Behave(bad.Value, Rollout.Degraded));

        var run = await checkout.RunAsync("DeployTest");

        run.ExitCode.ShouldBe(1, run.All);
        run.All.ShouldContain($"deploy bun-api main-{checkout.Commit[..7]} to test failed its verification");
        run.All.ShouldContain("test is rolled back automatically after a failed deployment.");
        run.All.ShouldContain("test was rolled back automatically to main-");
        (await checkout.PinnedAsync("test")).ShouldBe(good.Value);
        (await checkout.TrailersAsync(4)).Select(trailers => trailers["Bun-Action"]).ShouldBe(["verify", "rollback", "verify", "deploy"]);
    }

    [SkippableFact]
    public async Task Without_a_pushed_image_record_a_deploy_fails_in_one_line_saying_what_to_let_run()
    {
        await using var checkout = await DeliveryCheckout.CreateAsync(Release);
        var head = await checkout.RemoteHeadAsync();

        var run = await checkout.RunAsync("DeployStage");

        run.ExitCode.ShouldBe(1, run.All);
        run.Out.ShouldContain(
            "Nothing to deploy to stage: PushImage recorded no image in .nuke/temp/pushed-image.json. " +
            "Let DockerImage and PushImage run in this build (no --skip for them), or hand an image over with --image.\n");
        (await checkout.RemoteHeadAsync()).ShouldBe(head);
        checkout.Simulator.Requests.ShouldBeEmpty();
    }

    [SkippableFact]
    public async Task A_pushed_image_record_of_another_commit_is_refused()
    {
        await using var checkout = await DeliveryCheckout.CreateAsync(Release);
        var old = checkout.Commit;
        await RecordAsync(checkout, "old");
        await checkout.CommitAsync();

        var run = await checkout.RunAsync("DeployStage");

        run.ExitCode.ShouldBe(1, run.All);
        run.Out.ShouldContain($"Won't deploy to stage: .nuke/temp/pushed-image.json records {Image}:9.9.9-rc.{old[..7]}, but this build is 9.9.9-rc.{checkout.Commit[..7]}");
        run.Out.ShouldContain("Let PushImage run in this build");
    }

    [SkippableTheory]
    [InlineData("History")]
    [InlineData("Rollback")]
    [InlineData("Verify")]
    public async Task An_unknown_environment_is_bad_input_naming_the_known_ones(string target)
    {
        await using var checkout = await DeliveryCheckout.CreateAsync("main");

        var run = await checkout.RunAsync(target, "--environment", "stagging");

        run.ExitCode.ShouldBe(2, run.All);
        run.Error.ShouldContain("Unknown environment 'stagging' (--environment); expected local, dev, test, stage or prod.");
    }

    [SkippableFact]
    public async Task History_of_local_is_refused_before_anything_runs()
    {
        await using var checkout = await DeliveryCheckout.CreateAsync("main");

        var run = await checkout.RunAsync("History", "--environment", "local");

        run.ExitCode.ShouldBe(1, run.All);
        run.Error.ShouldContain("History works on dev, test, stage or prod; local is a developer's machine, which is not deployed through GitOps.");
        run.StartedATarget.ShouldBeFalse();
    }

    [SkippableFact]
    public async Task A_GitOps_remote_that_rejects_the_push_fails_the_deploy_and_stays_unchanged()
    {
        await using var checkout = await DeliveryCheckout.CreateAsync(Release);
        await RecordAsync(checkout, "image");
        var head = await checkout.RemoteHeadAsync();
        var hook = Path.Combine(checkout.Remote, "hooks", "pre-receive");
        await File.WriteAllTextAsync(hook, "#!/bin/sh\necho 'protected branch: pushes need a review' >&2\nexit 1\n");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(hook, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var run = await checkout.RunAsync("DeployStage");

        run.ExitCode.ShouldBe(1, run.All);
        run.Out.ShouldContain($"The GitOps repository {checkout.Remote} refused the push");
        run.Out.ShouldContain("protected branch: pushes need a review");
        (await checkout.RemoteHeadAsync()).ShouldBe(head);
    }

    [SkippableFact]
    public async Task Argo_CD_unreachable_fails_the_deploy_before_git_changes()
    {
        await using var checkout = await DeliveryCheckout.CreateAsync(Release);
        await RecordAsync(checkout, "image");
        var head = await checkout.RemoteHeadAsync();
        checkout.ArgoCdServer = $"http://127.0.0.1:{RegistryProcess.FreePort()}/";

        var run = await checkout.RunAsync("DeployStage");

        run.ExitCode.ShouldBe(1, run.All);
        run.Out.ShouldContain($"Argo CD at {checkout.ArgoCdServer}");
        (await checkout.RemoteHeadAsync()).ShouldBe(head);
    }

    [SkippableFact]
    public async Task Rollback_via_argocd_goes_back_in_Argo_CDs_history_and_leaves_git_alone()
    {
        await using var checkout = await DeliveryCheckout.CreateAsync(Release);
        var first = await RecordAsync(checkout, "first");
        (await checkout.RunAsync("DeployStage")).ExitCode.ShouldBe(0);
        await checkout.CommitAsync();
        await RecordAsync(checkout, "second");
        (await checkout.RunAsync("DeployStage")).ExitCode.ShouldBe(0);
        var head = await checkout.RemoteHeadAsync();

        var run = await checkout.RunAsync("Rollback", "--environment", "stage", "--via", "argocd");

        run.ExitCode.ShouldBe(0, run.All);
        checkout.Simulator.With("bun-api-stage", application => (application.LiveDigest, application.AutoSync)).ShouldBe((first.Value, false));
        run.Out.ShouldContain("Git still pins the version you rolled back from");
        (await checkout.RemoteHeadAsync()).ShouldBe(head);
    }

    [SkippableFact]
    public async Task Rollback_via_argocd_to_a_version_restores_the_entry_that_deploys_it()
    {
        await using var checkout = await DeliveryCheckout.CreateAsync(Release);
        var first = await RecordAsync(checkout, "first");
        (await checkout.RunAsync("DeployStage")).ExitCode.ShouldBe(0);
        var firstVersion = $"9.9.9-rc.{checkout.Commit[..7]}";
        for (var build = 0; build < 2; build++)
        {
            await checkout.CommitAsync();
            await RecordAsync(checkout, $"later {build}");
            (await checkout.RunAsync("DeployStage")).ExitCode.ShouldBe(0);
        }

        var run = await checkout.RunAsync("Rollback", "--environment", "stage", "--via", "argocd", "--to-version", firstVersion);

        run.ExitCode.ShouldBe(0, run.All);
        checkout.Simulator.With("bun-api-stage", application => application.LiveDigest).ShouldBe(first.Value);
    }

    [SkippableFact]
    public async Task A_deploy_whose_verdict_is_unknown_exits_1_and_Verify_records_the_verdict_later()
    {
        await using var checkout = await DeliveryCheckout.CreateAsync(Release);
        await RecordAsync(checkout, "image");
        Orchestration.Deployments.DeployTests.GoesDownAfterTheSync(checkout.Simulator);

        var deploy = await checkout.RunAsync("DeployStage");
        checkout.Simulator.BeforeAnswer = null;
        checkout.Simulator.Unavailable = false;
        var verify = await checkout.RunAsync("Verify", "--environment", "stage");

        deploy.ExitCode.ShouldBe(1, deploy.All);
        deploy.Out.ShouldContain("but its verdict is unknown");
        deploy.Out.ShouldContain("Once Argo CD answers, verify it: ./build.sh Verify --environment stage");
        verify.ExitCode.ShouldBe(0, verify.All);
        verify.Out.ShouldContain($"deploy bun-api 9.9.9-rc.{checkout.Commit[..7]} to stage: verified.");
        (await checkout.TrailersAsync(2)).Select(trailers => trailers["Bun-Action"]).ShouldBe(["verify", "deploy"]);
        (await checkout.TrailersAsync(1))[0]["Bun-Verified"].ShouldBe("true");
    }

    [SkippableFact]
    public async Task Rollback_before_any_deployment_says_there_is_nothing_to_roll_back_to()
    {
        await using var checkout = await DeliveryCheckout.CreateAsync("main");
        var head = await checkout.RemoteHeadAsync();

        var run = await checkout.RunAsync("Rollback", "--environment", "prod");

        run.ExitCode.ShouldBe(1, run.All);
        run.Out.ShouldContain("Nothing to roll back to: prod has no deployment in the GitOps history yet. The GitOps repository is unchanged.");
        (await checkout.RemoteHeadAsync()).ShouldBe(head);
    }

    // A record for the checkout's commit with a made-up digest: enough where nothing reads the registry.
    private static async Task<ImageDigest> RecordAsync(DeliveryCheckout checkout, string image)
    {
        var digest = DeliveryCheckout.FakeDigest(image);
        await checkout.RecordPushedImageAsync(Image, digest, ImageTags.For(Branch.Classify(checkout.Branch), checkout.Commit).Value);
        return digest;
    }
}
