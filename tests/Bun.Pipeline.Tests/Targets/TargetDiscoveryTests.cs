using Bun.Pipeline.Failures;
using Bun.Pipeline.Targets;

namespace Bun.Pipeline.Tests.Targets;

public sealed class TargetDiscoveryTests
{
    [Fact]
    public void Targets_are_found_in_declaration_order_base_class_first_then_interfaces()
    {
        var discovered = TargetDiscovery.Discover(new DerivedBuild());

        discovered.Specs.Select(spec => spec.Name).ShouldBe(["Restore", "Compile", "Test", "Lint"]);
    }

    [Fact]
    public void Edges_name_the_targets_they_point_to()
    {
        var test = Spec(new DerivedBuild(), "Test");

        test.Edges.ShouldBe([new Edge(EdgeKind.DependsOn, "Compile"), new Edge(EdgeKind.After, "Lint")]);
    }

    [Fact]
    public void NameOf_maps_a_target_delegate_back_to_its_property_name()
    {
        var build = new DerivedBuild();

        TargetDiscovery.Discover(build).NameOf(build.Compile).ShouldBe("Compile");
    }

    [Fact]
    public void A_default_interface_member_target_can_depend_on_a_class_target()
    {
        var lint = Spec(new DerivedBuild(), "Lint");

        lint.Edges.ShouldBe([new Edge(EdgeKind.DependsOn, "Restore")]);
        lint.Description.ShouldBe("Lints the sources.");
    }

    [Fact]
    public void Condition_texts_are_the_expressions_as_written_in_the_build()
    {
        var build = new ConditionsBuild();
        var spec = Spec(build, "Deploy");

        spec.StaticConditions.Single().Text.ShouldBe("IsMain && !IsPullRequest");
        spec.DynamicConditions.Single().Text.ShouldBe("HasChanges()");
        spec.Edges.Single().When.ShouldNotBeNull().Text.ShouldBe("IsMain");
    }

    [Fact]
    public void When_applies_to_every_target_of_the_preceding_call_only()
    {
        var spec = Spec(new ConditionsBuild(), "Ci");

        spec.Edges.Select(edge => (edge.Kind, edge.Target, edge.When?.Text)).ShouldBe(
        [
            (EdgeKind.DependsOn, "Compile", null),
            (EdgeKind.DependsOn, "Deploy", "IsMain"),
            (EdgeKind.DependsOn, "Smoke", "IsMain"),
            (EdgeKind.Triggers, "Smoke", "!IsPullRequest"),
        ]);
    }

    [Fact]
    public void When_without_a_preceding_edge_is_an_error_naming_the_target()
    {
        var failure = Should.Throw<InvalidOperationException>(() => TargetDiscovery.Discover(new MisplacedWhenBuild()));

        failure.Message.ShouldContain("Target Compile: When(...) must follow DependsOn");
    }

    [Fact]
    public void A_second_When_on_the_same_edges_is_an_error()
    {
        var definition = new TargetDefinition("Ci");
        definition.DependsOn(_ => _).When(() => true);

        Should.Throw<InvalidOperationException>(() => definition.When(() => false));
    }

    [Fact]
    public void A_parameter_requirement_names_the_member_it_reads()
    {
        var spec = Spec(new ConditionsBuild(), "Deploy");

        spec.Requirements.Select(requirement => (requirement.Member, requirement.Text)).ShouldBe(
        [
            ("Registry", "Registry"),
            ("Replicas", "Replicas > 0"),
        ]);
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("", false)]
    [InlineData("  ", false)]
    [InlineData("ghcr.io", true)]
    public void A_parameter_requirement_is_met_only_by_a_non_blank_value(string? registry, bool met)
    {
        var build = new ConditionsBuild { Registry = registry };

        Spec(build, "Deploy").Requirements[0].IsMet().ShouldBe(met);
    }

    [Fact]
    public void A_list_requirement_is_met_only_by_a_non_empty_list()
    {
        var build = new ConditionsBuild();
        var requirement = Spec(build, "Tag").Requirements.Single();

        requirement.IsMet().ShouldBeFalse();
        build.Tags = ["latest"];
        requirement.IsMet().ShouldBeTrue();
    }

    [Fact]
    public async Task Several_bodies_run_in_the_order_they_were_declared()
    {
        var build = new ConditionsBuild();
        var spec = Spec(build, "Smoke");

        await spec.Body.ShouldNotBeNull()(CancellationToken.None);

        build.Log.ShouldBe(["sync", "async", "token"]);
    }

    [Fact]
    public void A_target_without_a_body_has_no_body()
    {
        Spec(new ConditionsBuild(), "Ci").Body.ShouldBeNull();
    }

    [Fact]
    public void Flags_are_carried_into_the_spec()
    {
        var spec = Spec(new ConditionsBuild(), "Tag");

        spec.ProceedAfterFailure.ShouldBeTrue();
        spec.AssuredAfterFailure.ShouldBeTrue();
        spec.Unlisted.ShouldBeTrue();
        Spec(new ConditionsBuild(), "Ci").Unlisted.ShouldBeFalse();
    }

    [Fact]
    public void Two_targets_that_are_the_same_delegate_are_bad_input()
    {
        var failure = Should.Throw<BuildFailure>(() => TargetDiscovery.Discover(new AliasBuild()));

        failure.ExitCode.ShouldBe(ExitCodes.BadInput);
        failure.Message.ShouldContain("Targets Compile and Build are the same delegate");
    }

    [Fact]
    public void A_dependency_that_is_not_a_target_property_is_bad_input()
    {
        var failure = Should.Throw<BuildFailure>(() => TargetDiscovery.Discover(new StrayDependencyBuild()));

        failure.ExitCode.ShouldBe(ExitCodes.BadInput);
        failure.Message.ShouldContain("is not a target property of StrayDependencyBuild");
    }

    private static TargetSpec Spec(object build, string name) => TargetDiscovery.Discover(build).Specs.Single(spec => spec.Name == name);

    private class BaseBuild
    {
        public Target Restore => _ => _;
        public Target Compile => _ => _.DependsOn(Restore);
    }

    private interface ILinting
    {
        Target Restore { get; }

        Target Lint => _ => _.Description("Lints the sources.").DependsOn(Restore);
    }

    private sealed class DerivedBuild : BaseBuild, ILinting
    {
        private Target Test => _ => _.DependsOn(Compile).After(((ILinting)this).Lint);
    }

    private sealed class ConditionsBuild
    {
        public string? Registry { get; set; }
        public int Replicas { get; set; }
        public string[] Tags { get; set; } = [];
        public List<string> Log { get; } = [];
        private bool IsMain => true;
        private bool IsPullRequest => false;

        private bool HasChanges() => true;

        public Target Compile => _ => _;

        public Target Deploy => _ => _
            .DependsOn(Compile).When(() => IsMain)
            .OnlyWhenStatic(() => IsMain && !IsPullRequest)
            .OnlyWhenDynamic(() => HasChanges())
            .Requires(() => Registry)
            .Requires(() => Replicas > 0);

        public Target Smoke => _ => _
            .Executes(() => Log.Add("sync"))
            .Executes(async () =>
            {
                await Task.Yield();
                Log.Add("async");
            })
            .Executes(_ =>
            {
                Log.Add("token");
                return Task.CompletedTask;
            });

        public Target Ci => _ => _
            .DependsOn(Compile)
            .DependsOn(Deploy, Smoke).When(() => IsMain)
            .Triggers(Smoke).When(() => !IsPullRequest);

        public Target Tag => _ => _
            .Requires(() => Tags)
            .ProceedAfterFailure()
            .AssuredAfterFailure()
            .Unlisted();
    }

    private sealed class MisplacedWhenBuild
    {
        public Target Compile => _ => _.Description("Compiles.").When(() => true);
    }

    private sealed class AliasBuild
    {
        public Target Compile => _ => _;
        public Target Build => Compile;
    }

    private sealed class StrayDependencyBuild
    {
        public Target Compile => _ => _.DependsOn(_ => _);
    }
}
