using System.Text.Json.Nodes;
using Bun.Delivery.Integrations.GitOps;
using Bun.Delivery.Integrations.Monitoring;

namespace Bun.Delivery.Tests.Integrations.GitOps;

/// <summary>deploy/ renders with the tool Argo CD uses, before and after a pin; the canary resources match the project's schemas.</summary>
public sealed class ManifestTests
{
    public static TheoryData<string> CanaryEnvironments => new() { "test", "stage", "prod" };

    [SkippableTheory]
    [InlineData("dev", 1, "Deployment")]
    [InlineData("test", 1, "Rollout")]
    [InlineData("stage", 2, "Rollout")]
    [InlineData("prod", 3, "Rollout")]
    public async Task Every_overlay_renders_with_kubectl_kustomize(string environment, int replicas, string workload)
    {
        var rendered = await RenderedManifests.KustomizeAsync(Overlay(environment));

        rendered.ShouldContain($"kind: {workload}\n");
        rendered.ShouldContain("kind: Service");
        rendered.ShouldContain($"namespace: bun-{environment}");
        rendered.ShouldContain($"replicas: {replicas}");
        rendered.ShouldContain("readinessProbe:\n          failureThreshold: 3\n          httpGet:\n            path: /healthz");
        rendered.ShouldContain("livenessProbe:\n          failureThreshold: 3\n          httpGet:\n            path: /healthz");
        rendered.ShouldContain("containerPort: 8080");
        rendered.ShouldContain($"name: BUN_ENVIRONMENT\n          value: {environment}\n");
    }

    [SkippableFact]
    public async Task Dev_stays_a_plain_Deployment_that_needs_no_Rollouts_controller()
    {
        var resources = await RenderedManifests.RenderAsync(Overlay("dev"));

        resources.Select(resource => resource["apiVersion"]!.GetValue<string>()).ShouldNotContain("argoproj.io/v1alpha1");
        resources.Resource("Deployment")["spec"]!["strategy"]!["type"]!.GetValue<string>().ShouldBe("RollingUpdate");
    }

    [SkippableTheory]
    [MemberData(nameof(CanaryEnvironments))]
    public async Task The_canary_Rollout_and_AnalysisTemplate_match_the_projects_schemas(string environment)
    {
        var resources = await RenderedManifests.RenderAsync(Overlay(environment));

        ManifestSchemas.Rollout.Problems(resources.Resource("Rollout")).ShouldBeEmpty();
        ManifestSchemas.AnalysisTemplate.Problems(resources.Resource("AnalysisTemplate")).ShouldBeEmpty();
        resources.Where(resource => resource["kind"]!.GetValue<string>() == "Deployment").ShouldBeEmpty();
    }

    [SkippableTheory]
    [MemberData(nameof(CanaryEnvironments))]
    public async Task The_Rollout_shifts_weight_in_steps_with_pauses_and_an_inline_analysis(string environment)
    {
        var rollout = (await RenderedManifests.RenderAsync(Overlay(environment))).Resource("Rollout");

        var steps = rollout["spec"]!["strategy"]!["canary"]!["steps"]!.AsArray().Select(step => ((JsonObject)step!).Single().Key).ToList();
        steps.ShouldBe(["setWeight", "pause", "analysis", "setWeight", "pause", "analysis"]);
        rollout["spec"]!["strategy"]!["canary"]!["steps"]!.AsArray().Select(step => step!["setWeight"]?.GetValue<long>()).OfType<long>().ShouldBe([20L, 50L]);
    }

    [SkippableTheory]
    [MemberData(nameof(CanaryEnvironments))]
    public async Task The_Rollout_runs_the_same_pod_template_and_probes_as_dev(string environment)
    {
        var dev = Container((await RenderedManifests.RenderAsync(Overlay("dev"))).Resource("Deployment"));
        var rollout = (await RenderedManifests.RenderAsync(Overlay(environment))).Resource("Rollout");
        var canary = Container(rollout);

        rollout["spec"]!["template"]!["metadata"]!["labels"]!["bun.dev/environment"]!.GetValue<string>().ShouldBe(environment);
        JsonNode.DeepEquals(canary["readinessProbe"], dev["readinessProbe"]).ShouldBeTrue();
        JsonNode.DeepEquals(canary["livenessProbe"], dev["livenessProbe"]).ShouldBeTrue();
        JsonNode.DeepEquals(canary["ports"], dev["ports"]).ShouldBeTrue();
        JsonNode.DeepEquals(canary["resources"], dev["resources"]).ShouldBeTrue();
    }

    [SkippableTheory]
    [MemberData(nameof(CanaryEnvironments))]
    public async Task Every_analysis_step_names_the_rendered_template_and_together_they_give_every_argument(string environment)
    {
        var resources = await RenderedManifests.RenderAsync(Overlay(environment));
        var template = resources.Resource("AnalysisTemplate");
        var templateArgs = template["spec"]!["args"]!.AsArray();

        foreach (var analysis in AnalysisSteps(resources.Resource("Rollout")))
        {
            analysis["templates"]!.AsArray().Select(name => name!["templateName"]!.GetValue<string>()).ShouldBe([template["metadata"]!["name"]!.GetValue<string>()]);
            var given = analysis["args"]!.AsArray().Select(arg => arg!["name"]!.GetValue<string>()).ToList();
            var missing = templateArgs.Where(arg => arg!["value"] is null).Select(arg => arg!["name"]!.GetValue<string>()).ToList();
            given.ShouldBe(missing, ignoreOrder: true);
        }
    }

    [SkippableTheory]
    [InlineData("test", "http://prometheus.monitoring-nonprod.svc.cluster.local:9090", 0.05)]
    [InlineData("stage", "http://prometheus.monitoring-nonprod.svc.cluster.local:9090", 0.02)]
    [InlineData("prod", "http://prometheus.monitoring.svc.cluster.local:9090", 0.01)]
    public async Task Each_canary_overlay_sets_its_Prometheus_address_and_error_ratio_threshold(string environment, string address, double threshold)
    {
        var args = Args((await RenderedManifests.RenderAsync(Overlay(environment))).Resource("AnalysisTemplate"));

        args["prometheus-address"].ShouldBe(address);
        double.Parse(args["max-error-ratio"]!, System.Globalization.CultureInfo.InvariantCulture).ShouldBe(threshold);
        ErrorRatioQuery.Limit(threshold).ShouldBe(threshold);
    }

    [SkippableFact]
    public async Task The_AnalysisTemplate_asks_the_query_the_monitoring_asks()
    {
        var template = (await RenderedManifests.RenderAsync(Overlay("test"))).Resource("AnalysisTemplate");
        var metric = template["spec"]!["metrics"]!.AsArray().ShouldHaveSingleItem()!;
        var window = Args(template)["window"]!;

        var query = metric["provider"]!["prometheus"]!["query"]!.GetValue<string>()
            .Replace("{{args.namespace}}", "bun-test", StringComparison.Ordinal)
            .Replace("{{args.window}}", window, StringComparison.Ordinal);

        query.ShouldBe(ErrorRatioQuery.Build("bun-api", "bun-test", TimeSpan.FromSeconds(int.Parse(window.TrimEnd('s'), System.Globalization.CultureInfo.InvariantCulture))));
        metric["successCondition"]!.GetValue<string>().ShouldBe("result[0] <= {{args.max-error-ratio}}");
    }

    [SkippableFact]
    public async Task A_pinned_overlay_renders_the_image_by_digest()
    {
        using var sandbox = await GitOpsSandbox.CreateAsync();
        var overlay = Path.Combine(sandbox.App, "deploy", "overlays", "dev", "kustomization.yaml");
        var image = GitOpsSandbox.Image(7, "127.0.0.1:5000/bun-api");
        await File.WriteAllTextAsync(overlay, KustomizationImages.Pin(await File.ReadAllTextAsync(overlay), "ghcr.io/bun/bun-api", image));

        var rendered = await RenderedManifests.KustomizeAsync(Path.GetDirectoryName(overlay)!);

        rendered.ShouldContain($"image: {image.Reference}\n");
    }

    [SkippableTheory]
    [MemberData(nameof(CanaryEnvironments))]
    public async Task A_pinned_canary_overlay_renders_the_Rollout_by_digest(string environment)
    {
        using var sandbox = await GitOpsSandbox.CreateAsync();
        var overlay = Path.Combine(sandbox.App, "deploy", "overlays", environment, "kustomization.yaml");
        var image = GitOpsSandbox.Image(7, "127.0.0.1:5000/bun-api");
        await File.WriteAllTextAsync(overlay, KustomizationImages.Pin(await File.ReadAllTextAsync(overlay), "ghcr.io/bun/bun-api", image));

        var rollout = (await RenderedManifests.RenderAsync(Path.GetDirectoryName(overlay)!)).Resource("Rollout");

        Container(rollout)["image"]!.GetValue<string>().ShouldBe(image.Reference);
        ManifestSchemas.Rollout.Problems(rollout).ShouldBeEmpty();
    }

    [SkippableFact]
    public async Task The_schema_rejects_an_analysis_step_without_a_template_name()
    {
        var rollout = (await RenderedManifests.RenderAsync(Overlay("test"))).Resource("Rollout");
        AnalysisSteps(rollout).First()["templates"]![0]!.AsObject().Remove("templateName");

        ManifestSchemas.Rollout.Problems(rollout).ShouldContain(problem => problem.Contains("templateName"));
    }

    [SkippableFact]
    public async Task The_schema_rejects_a_weight_over_100_percent()
    {
        var rollout = (await RenderedManifests.RenderAsync(Overlay("test"))).Resource("Rollout");
        rollout["spec"]!["strategy"]!["canary"]!["steps"]![0]!["setWeight"] = 120;

        ManifestSchemas.Rollout.Problems(rollout).ShouldContain(problem => problem.StartsWith("/spec/strategy/canary/steps/0/setWeight", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task The_schema_rejects_a_Rollout_without_a_readiness_probe()
    {
        var rollout = (await RenderedManifests.RenderAsync(Overlay("test"))).Resource("Rollout");
        Container(rollout).Remove("readinessProbe");

        ManifestSchemas.Rollout.Problems(rollout).ShouldContain(problem => problem.Contains("readinessProbe"));
    }

    [SkippableFact]
    public async Task The_schema_rejects_an_AnalysisTemplate_without_a_failure_limit_or_with_an_address_that_is_not_a_URL()
    {
        var template = (await RenderedManifests.RenderAsync(Overlay("test"))).Resource("AnalysisTemplate");
        var metric = template["spec"]!["metrics"]![0]!.AsObject();
        metric.Remove("failureLimit");
        metric["provider"]!["prometheus"]!["address"] = "prometheus:9090";

        var problems = ManifestSchemas.AnalysisTemplate.Problems(template);

        problems.ShouldContain(problem => problem.Contains("failureLimit"));
        problems.ShouldContain(problem => problem.StartsWith("/spec/metrics/0/provider/prometheus/address", StringComparison.Ordinal));
    }

    private static string Overlay(string environment) => RepositoryRoot.PathOf("deploy", "overlays", environment);

    private static JsonObject Container(JsonObject workload) => workload["spec"]!["template"]!["spec"]!["containers"]![0]!.AsObject();

    private static IEnumerable<JsonObject> AnalysisSteps(JsonObject rollout) =>
        rollout["spec"]!["strategy"]!["canary"]!["steps"]!.AsArray().Select(step => step!["analysis"]).OfType<JsonObject>();

    private static Dictionary<string, string?> Args(JsonObject template) =>
        template["spec"]!["args"]!.AsArray().ToDictionary(arg => arg!["name"]!.GetValue<string>(), arg => arg!["value"]?.GetValue<string>());
}
