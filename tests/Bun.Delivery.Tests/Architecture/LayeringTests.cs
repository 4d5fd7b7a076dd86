namespace Bun.Delivery.Tests.Architecture;

/// <summary>The layers of src/Bun.Delivery stay as docs/architecture.md draws them; the checker itself refuses what it must.</summary>
public sealed class LayeringTests
{
    [Fact]
    public void The_delivery_core_keeps_its_layers()
    {
        var violations = Layering.Violations(SourcesUnder("src", "Bun.Delivery"), Sources("build"));

        violations.ShouldBeEmpty(string.Join(Environment.NewLine, violations));
    }

    [Fact]
    public void Every_layer_has_files_so_the_checker_reads_the_real_tree()
    {
        var files = SourcesUnder("src", "Bun.Delivery").Keys.ToList();

        files.ShouldContain(file => file.StartsWith("Model/Rules/", StringComparison.Ordinal));
        files.ShouldContain(file => file.StartsWith("Integrations/Docker/", StringComparison.Ordinal));
        files.ShouldContain(file => file.StartsWith("Orchestration/Deployments/", StringComparison.Ordinal));
    }

    [Fact]
    public void An_integration_importing_another_integration_is_named_with_its_file_and_line()
    {
        var violations = Layering.Violations(Tree(("Integrations/Docker/ImagePusher.cs",
            "using Bun.Delivery.Integrations.Registry;\nusing Bun.Delivery.Model.Images;\n\nnamespace Bun.Delivery.Integrations.Docker;\n")));

        violations.ShouldHaveSingleItem().ShouldStartWith(
            "src/Bun.Delivery/Integrations/Docker/ImagePusher.cs:1 imports Bun.Delivery.Integrations.Registry: an integration never imports another integration");
    }

    [Theory]
    [InlineData("var client = new Bun.Delivery.Integrations.Registry.RegistryClient();")]
    [InlineData("var client = new global::Bun.Delivery.Integrations.Registry.RegistryClient();")]
    [InlineData("var client = new Registry.RegistryClient();")]
    [InlineData("var client = new Integrations.Registry.RegistryClient();")]
    public void A_qualified_name_of_another_integration_is_an_import_too(string code)
    {
        var violations = Layering.Violations(Tree(
            ("Integrations/Docker/ImagePusher.cs", $"namespace Bun.Delivery.Integrations.Docker;\n\nclass ImagePusher {{ void Push() {{ {code} }} }}\n"),
            ("Integrations/Registry/RegistryClient.cs", "namespace Bun.Delivery.Integrations.Registry;\n\nclass RegistryClient;\n")));

        violations.ShouldHaveSingleItem().ShouldContain("ImagePusher.cs:3 imports Bun.Delivery.Integrations.Registry");
    }

    [Theory]
    [InlineData("using Bun.Delivery.Integrations.Database;", "Bun.Delivery.Integrations.Database")]
    [InlineData("using static Bun.Delivery.Integrations.Database.DatabaseKind;", "Bun.Delivery.Integrations.Database.DatabaseKind")]
    [InlineData("using Bun.Delivery.Orchestration.Deployments;", "Bun.Delivery.Orchestration.Deployments")]
    public void The_model_importing_an_integration_or_the_orchestration_is_refused(string import, string named)
    {
        var violations = Layering.Violations(Tree(("Model/Rules/Guards.cs", $"{import}\n\nnamespace Bun.Delivery.Model.Rules;\n")));

        violations.ShouldHaveSingleItem().ShouldBe(
            $"src/Bun.Delivery/Model/Rules/Guards.cs:1 imports {named}: the model imports no integration, orchestration or build class.");
    }

    [Fact]
    public void The_orchestration_taking_the_build_class_is_refused()
    {
        var violations = Layering.Violations(Tree(
            ("DeliveryBuild.cs", "namespace Bun.Delivery;\n\npublic abstract class DeliveryBuild;\n"),
            ("Orchestration/Images/ImageTargets.cs", "namespace Bun.Delivery.Orchestration.Images;\n\npublic sealed class ImageTargets(DeliveryBuild build);\n")));

        violations.ShouldHaveSingleItem().ShouldStartWith("src/Bun.Delivery/Orchestration/Images/ImageTargets.cs:3 imports Bun.Delivery.DeliveryBuild");
    }

    [Fact]
    public void Model_parts_that_import_each_other_are_a_cycle()
    {
        var violations = Layering.Violations(Tree(
            ("Model/Context/DeliveryContext.cs", "using Bun.Delivery.Model.Rules;\n\nnamespace Bun.Delivery.Model.Context;\n"),
            ("Model/Rules/Guards.cs", "using Bun.Delivery.Model.Context;\n\nnamespace Bun.Delivery.Model.Rules;\n")));

        violations.ShouldHaveSingleItem().ShouldStartWith("Model.Context → Model.Rules → Model.Context: these parts import each other in a circle");
    }

    [Fact]
    public void A_folder_outside_the_layers_and_a_namespace_that_leaves_its_folder_are_refused()
    {
        var violations = Layering.Violations(Tree(
            ("Workflows/WorkflowWriter.cs", "namespace Bun.Delivery.Orchestration.Workflows;\n"),
            ("Integrations/Docker/Sneaky.cs", "namespace Bun.Delivery.Model.Images;\n")));

        violations.ShouldBe(new[]
        {
            "src/Bun.Delivery/Integrations/Docker/Sneaky.cs declares namespace Bun.Delivery.Model.Images; its folder says Bun.Delivery.Integrations.Docker.",
            "src/Bun.Delivery/Workflows/WorkflowWriter.cs is in no layer: move Workflows/ under Model/, Integrations/ or Orchestration/ (docs/architecture.md).",
        });
    }

    [Fact]
    public void The_build_reaching_past_the_orchestration_to_an_integration_is_refused()
    {
        var violations = Layering.Violations(Tree(), new Dictionary<string, string>
        {
            ["build/Build.Database.cs"] = "using Bun.Delivery.Integrations.Database;\n\nnamespace Bun.Build;\n",
        });

        violations.ShouldHaveSingleItem().ShouldStartWith("build/Build.Database.cs:1 imports Bun.Delivery.Integrations.Database: build/ composes");
    }

    [Fact]
    public void Imports_the_layers_allow_pass()
    {
        var violations = Layering.Violations(Tree(
            ("Model/Rules/Guards.cs", "using Bun.Delivery.Model.Context;\n\nnamespace Bun.Delivery.Model.Rules;\n"),
            ("Integrations/Docker/ImagePusher.cs", "using Bun.Delivery.Model.Images;\nusing Bun.Pipeline.Output;\n\nnamespace Bun.Delivery.Integrations.Docker;\n"),
            ("Orchestration/Images/ImageTargets.cs", "using Bun.Delivery.Integrations.Docker;\nusing Bun.Delivery.Integrations.Registry;\n\nnamespace Bun.Delivery.Orchestration.Images;\n")));

        violations.ShouldBeEmpty();
    }

    private static Dictionary<string, string> Tree(params (string Path, string Source)[] files) =>
        files.ToDictionary(file => file.Path, file => file.Source);

    // Every C# file under src/<project>, by its path under it; bin/ and obj/ hold no source of ours.
    private static Dictionary<string, string> SourcesUnder(params string[] parts)
    {
        var folder = RepositoryRoot.PathOf(parts);
        return Directory.GetFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(folder, file).Replace('\\', '/'))
            .Where(file => !file.StartsWith("bin/", StringComparison.Ordinal) && !file.StartsWith("obj/", StringComparison.Ordinal))
            .ToDictionary(file => file, file => File.ReadAllText(Path.Combine(folder, file)));
    }

    private static Dictionary<string, string> Sources(string folder) =>
        SourcesUnder(folder).ToDictionary(file => $"{folder}/{file.Key}", file => file.Value);
}
