using System.Globalization;
using Bun.Delivery.Integrations.Registry;
using Bun.Delivery.Model.Images;
using Bun.Delivery.Tests.Integrations.Docker;
using Bun.Delivery.Tests.Integrations.Registry;
using Bun.Delivery.Tests.Model.Images;
using Bun.Delivery.Tests.Support;
using Xunit.Abstractions;

namespace Bun.Delivery.Tests.EndToEnd;

/// <summary>
/// DockerImage, PushImage and CleanupFeatureImages as the build runs them, in-process, against the real engine and registry:
/// the service is published and its image built once, by the feature-branch scenario.
/// </summary>
[Collection(ContainerImagesCollection.Name)]
public sealed class ImageTargetsTests(DockerEngineFixture docker, RegistryServer registry, ITestOutputHelper log)
{
    [SkippableFact]
    public async Task A_feature_push_leaves_its_tag_and_the_pushed_digest_and_the_merged_pull_request_removes_only_that_branchs_tags()
    {
        docker.RequireBaseImage(log);
        registry.Require(log);
        var namespaced = $"{registry.Address}/t-{Guid.NewGuid().ToString("N")[..8]}";
        var repository = ImageRepository.Parse(namespaced, "bun-api");
        using (var seeder = new RegistrySeeder(repository))
        {
            await seeder.TagAsync("feature-login-page-0a1b2c3", "an earlier push of the branch");
            await seeder.TagAsync("feature-search-1a2b3c4", "another branch");
            await seeder.TagAsync("main-2b3c4d5", "main");
        }

        using var checkout = await ServiceCheckout.CreateAsync("feature/Login-Page", origin: "git@github.com:bun-org/bun.git");
        var tag = $"feature-login-page-{checkout.Commit[..7]}";
        using var client = new RegistryClient(repository, null, new RecordedOutput().Output);
        try
        {
            var ci = await RunAsync(checkout, "Ci", "--skip", "Compile", "Test", "--registry", namespaced, "--base-image", docker.BaseImage);

            ci.ExitCode.ShouldBe(0, ci.All);
            ci.Out.ShouldContain($"Publishing src/Bun.Api/Bun.Api.csproj self-contained for linux-");
            var record = await PushedImage.ReadAsync(PushedImage.RecordPath(checkout.Path), CancellationToken.None);
            record.ShouldNotBeNull(ci.All);
            record.ShouldBe(new PushedImage(repository.Name, tag, (await client.ResolveAsync(tag, CancellationToken.None))!.Value));
            var built = await docker.Engine!.Client.Images.InspectImageAsync($"bun-api:{tag}");
            built.Config.Labels[ImageLabels.Revision].ShouldBe(checkout.Commit);
            built.Config.Labels[ImageLabels.Source].ShouldBe("https://github.com/bun-org/bun");
            built.Config.Labels[ImageLabels.Version].ShouldBe(tag);
            built.Config.Env.ShouldContain($"BUN_SOURCE_COMMIT={checkout.Commit}");
            var committed = DateTimeOffset.FromUnixTimeSeconds(long.Parse(await Git.RunAsync(checkout.Path, "log", "-1", "--format=%ct"), CultureInfo.InvariantCulture));
            built.Config.Labels[ImageLabels.Created].ShouldBe(committed.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            new DateTimeOffset(built.Created.ToUniversalTime()).ShouldBe(committed);
            built.RootFS.Layers.Count.ShouldBe((await docker.Engine!.Client.Images.InspectImageAsync(docker.BaseImage)).RootFS.Layers.Count + 3);

            // The same commit built again, with a fresh publish, is the same image: one version, one digest.
            var again = await RunAsync(checkout, "DockerImage", "--skip", "--registry", namespaced, "--base-image", docker.BaseImage);
            again.ExitCode.ShouldBe(0, again.All);
            (await docker.Engine!.Client.Images.InspectImageAsync($"bun-api:{tag}")).ID.ShouldBe(built.ID);

            string[] merged = ["CleanupFeatureImages", "--event", "pull_request_closed", "--merged", "--head", "feature/Login-Page", "--registry", namespaced];
            var dryRun = await RunAsync(checkout, [.. merged, "--dry-run"]);
            dryRun.ExitCode.ShouldBe(0, dryRun.All);
            dryRun.Out.ShouldContain($"Would delete {tag}");
            (await client.ListTagsAsync(CancellationToken.None)).ShouldContain(tag);

            var cleanup = await RunAsync(checkout, merged);

            cleanup.ExitCode.ShouldBe(0, cleanup.All);
            (await client.ListTagsAsync(CancellationToken.None)).ShouldBe(["feature-search-1a2b3c4", "main-2b3c4d5"], ignoreOrder: true);
        }
        finally
        {
            await TestImages.RemoveAsync(docker.Engine!, $"bun-api:{tag}", repository.Reference(new ImageTag(tag)));
        }
    }

    [SkippableFact]
    public async Task PushImage_without_a_registry_on_a_laptop_keeps_the_image_local_with_a_notice_and_succeeds()
    {
        docker.Require(log);
        using var folder = new TempFolder();
        await Git.InitAsync(folder.Path, "feature/login");
        var stale = PushedImage.RecordPath(folder.Path);
        await new PushedImage("127.0.0.1:5000/bun-api", "feature-login-0a1b2c3", "sha256:" + new string('a', 64)).WriteAsync(stale, CancellationToken.None);

        var run = await Hosts.RunAsync(folder.Path, EngineVariables(), ["PushImage", "--skip"]);

        run.ExitCode.ShouldBe(0, run.All);
        run.Out.ShouldContain("notice: No registry is configured (--registry / BUN_REGISTRY), so bun-api:feature-login-");
        run.Out.ShouldContain("stays in the local engine and nothing is pushed.");
        run.Out.ShouldContain("(DockerImage did not run), so nothing is recorded for the deploys.");
        File.Exists(stale).ShouldBeFalse("a record names only an image this run pushed");
    }

    [SkippableFact]
    public async Task Ci_on_main_on_a_laptop_with_only_an_engine_builds_keeps_the_image_local_and_deploys_it_to_the_embedded_GitOps_repository()
    {
        docker.RequireBaseImage(log);
        using var checkout = await ServiceCheckout.CreateAsync("main", origin: null, withDeploy: true);
        var tag = $"main-{checkout.Commit[..7]}";
        try
        {
            var ci = await RunAsync(checkout, "Ci", "--skip", "Compile", "Test", "--base-image", docker.BaseImage);

            ci.ExitCode.ShouldBe(0, ci.All);
            var id = (await docker.Engine!.Client.Images.InspectImageAsync($"bun-api:{tag}")).ID;
            var record = await PushedImage.ReadAsync(PushedImage.RecordPath(checkout.Path), CancellationToken.None);
            record.ShouldBe(PushedImage.InLocalEngine("bun-api", tag, id));
            ci.Out.ShouldContain($"notice: Deploys pin bun-api:{tag} by its content digest {id}, marked as local: no cluster could pull it.");
            ci.Out.ShouldContain($"notice: bun-api@{id} is an image of the local engine, pinned by its content digest and marked as local: no cluster could pull it.");
            var gitops = Path.Combine(checkout.Path, ".nuke", "temp", "gitops");
            (await Git.RunAsync(checkout.Path, "--git-dir", gitops, "log", "--format=%s")).Split('\n')
                .ShouldBe([$"deploy bun-api {tag} to test", $"deploy bun-api {tag} to dev", "init bun-api from deploy/"]);
            (await Git.RunAsync(checkout.Path, "--git-dir", gitops, "log", "-1", "--format=%(trailers:key=Bun-Image-Local,valueonly)")).ShouldBe("true");
            (await Git.RunAsync(checkout.Path, "--git-dir", gitops, "show", "HEAD:apps/bun-api/overlays/test/kustomization.yaml")).ShouldContain($"digest: {id}");
        }
        finally
        {
            await TestImages.RemoveAsync(docker.Engine!, $"bun-api:{tag}");
        }
    }

    [Fact]
    public async Task A_local_image_is_not_deployed_to_a_GitOps_repository_that_a_cluster_reads()
    {
        await using var checkout = await DeliveryCheckout.CreateAsync("main");
        await PushedImage.InLocalEngine("bun-api", $"main-{checkout.Commit[..7]}", DeliveryCheckout.FakeDigest("local").Value).WriteAsync(checkout.PushedImageRecord, CancellationToken.None);
        var head = await checkout.RemoteHeadAsync();

        var run = await checkout.RunAsync("DeployDev");

        run.ExitCode.ShouldBe(1, run.All);
        run.All.ShouldContain($"Won't deploy to dev: bun-api:main-{checkout.Commit[..7]} stayed in the local engine (no --registry), and --gitops-repo names a repository that a cluster reads");
        (await checkout.RemoteHeadAsync()).ShouldBe(head);
    }

    [Fact]
    public async Task A_push_in_GitHub_Actions_without_a_registry_is_bad_input_before_anything_runs()
    {
        var run = await Hosts.OnGitHubAsync(Scenario.Push("feature/login"), Hosts.FixtureCommit, "Ci");

        run.ExitCode.ShouldBe(2, run.All);
        run.Error.ShouldContain("error: PushImage needs --registry (or BUN_REGISTRY)");
        run.StartedATarget.ShouldBeFalse(run.All);
    }

    [Fact]
    public async Task A_pull_request_image_on_a_laptop_without_its_number_is_bad_input_before_anything_runs()
    {
        using var folder = new TempFolder();
        await Git.InitAsync(folder.Path, "feature/login");
        string[] pullRequest = ["Ci", "--event", "pull_request", "--base", "main"];

        var run = await Hosts.RunAsync(folder.Path, new Dictionary<string, string>(), pullRequest);
        var plan = await Hosts.RunAsync(folder.Path, new Dictionary<string, string>(), [.. pullRequest, "--plan"]);

        run.ExitCode.ShouldBe(2, run.All);
        run.Error.ShouldContain("DockerImage needs --pr-number (or BUN_PR_NUMBER)");
        run.StartedATarget.ShouldBeFalse(run.All);
        plan.ExitCode.ShouldBe(0, plan.All);
    }

    private static Task<BuildRun> RunAsync(ServiceCheckout checkout, params string[] arguments) => Hosts.RunAsync(checkout.Path, EngineVariables(), arguments);

    private static Dictionary<string, string> EngineVariables() =>
        Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } dockerHost ? new() { ["DOCKER_HOST"] = dockerHost } : [];
}
