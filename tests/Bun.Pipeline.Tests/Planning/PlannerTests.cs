using Bun.Pipeline.Failures;
using Bun.Pipeline.Planning;
using Bun.Pipeline.Targets;
using static Bun.Pipeline.Tests.Support.Specs;

namespace Bun.Pipeline.Tests.Planning;

public sealed class PlannerTests
{
    [Fact]
    public void Dependencies_run_before_the_targets_that_need_them()
    {
        // Declared top-down, so declaration order alone would give the wrong plan.
        TargetSpec[] specs =
        [
            Target("Publish", DependsOn("Test")),
            Target("Test", DependsOn("Compile")),
            Target("Compile", DependsOn("Restore")),
            Target("Restore"),
        ];

        var plan = Plan(specs, "Publish");

        plan.Names().ShouldBe(["Restore", "Compile", "Test", "Publish"]);
        plan.Get("Test").DependsOn.ShouldBe(["Compile"]);
        plan.Targets.ShouldAllBe(target => target.Decision == Decision.Run);
    }

    [Fact]
    public void Only_the_invoked_targets_and_what_they_pull_in_are_planned()
    {
        TargetSpec[] specs = [Target("Restore"), Target("Compile", DependsOn("Restore")), Target("Lint"), Target("Docs")];

        var plan = Plan(specs, "Compile");

        plan.Names().ShouldBe(["Restore", "Compile"]);
        plan.Get("Compile").Invoked.ShouldBeTrue();
        plan.Get("Restore").Invoked.ShouldBeFalse();
    }

    [Fact]
    public void Independent_targets_keep_declaration_order_whatever_order_the_edges_list_them()
    {
        TargetSpec[] specs =
        [
            Target("Lint"),
            Target("Compile"),
            Target("Docs"),
            Target("Ci", DependsOn("Docs"), DependsOn("Lint"), DependsOn("Compile")),
        ];

        var plan = Plan(specs, "Ci");

        plan.Names().ShouldBe(["Lint", "Compile", "Docs", "Ci"]);
        plan.Get("Ci").DependsOn.ShouldBe(["Docs", "Lint", "Compile"]);
    }

    [Fact]
    public void The_same_graph_gives_the_same_plan_on_every_run()
    {
        TargetSpec[] specs =
        [
            Target("E", DependsOn("C"), DependsOn("D")),
            Target("D", DependsOn("A")),
            Target("C", DependsOn("B"), DependsOn("A")),
            Target("B"),
            Target("A"),
            Target("F", DependsOn("E"), DependsOn("B")),
        ];

        var first = Describe(Plan(specs, "F", "D"));

        for (var run = 0; run < 20; run++)
            Describe(Plan(specs, "F", "D")).ShouldBe(first);
        Plan(specs, "F").Names().ShouldBe(["B", "A", "D", "C", "E", "F"]);
    }

    [Fact]
    public void DependentFor_gives_the_same_plan_as_DependsOn_on_the_other_side()
    {
        TargetSpec[] declaredByDependent = [Target("Test", DependsOn("Compile")), Target("Compile")];
        TargetSpec[] declaredByDependency = [Target("Test"), Target("Compile", DependentFor("Test"))];

        var plan = Plan(declaredByDependency, "Test");

        plan.Names().ShouldBe(["Compile", "Test"]);
        plan.Get("Test").DependsOn.ShouldBe(["Compile"]);
        Describe(plan).ShouldBe(Describe(Plan(declaredByDependent, "Test")));
    }

    [Fact]
    public void Before_gives_the_same_plan_as_After_on_the_other_side()
    {
        // Without an ordering edge, declaration order would run Compile first.
        TargetSpec[] declaredWithAfter = [Target("Compile", After("Lint")), Target("Lint"), Target("Ci", DependsOn("Compile"), DependsOn("Lint"))];
        TargetSpec[] declaredWithBefore = [Target("Compile"), Target("Lint", Before("Compile")), Target("Ci", DependsOn("Compile"), DependsOn("Lint"))];

        var plan = Plan(declaredWithBefore, "Ci");

        plan.Names().ShouldBe(["Lint", "Compile", "Ci"]);
        plan.Get("Compile").WaitsFor.ShouldBe(["Lint"]);
        plan.Get("Compile").DependsOn.ShouldBeEmpty();
        Describe(plan).ShouldBe(Describe(Plan(declaredWithAfter, "Ci")));
    }

    [Fact]
    public void Before_and_After_order_targets_without_pulling_them_into_the_plan()
    {
        TargetSpec[] specs = [Target("Compile", After("Lint")), Target("Lint", Before("Test")), Target("Test")];

        Plan(specs, "Compile").Names().ShouldBe(["Compile"]);
        Plan(specs, "Test").Names().ShouldBe(["Test"]);
    }

    [Fact]
    public void TriggeredBy_gives_the_same_plan_as_Triggers_on_the_other_side()
    {
        // Notify is declared first, so only the trigger edge can put it after Deploy.
        TargetSpec[] declaredWithTriggers = [Target("Notify"), Target("Deploy", Triggers("Notify"))];
        TargetSpec[] declaredWithTriggeredBy = [Target("Notify", TriggeredBy("Deploy")), Target("Deploy")];

        var plan = Plan(declaredWithTriggeredBy, "Deploy");

        plan.Names().ShouldBe(["Deploy", "Notify"]);
        plan.Get("Notify").WaitsFor.ShouldBe(["Deploy"]);
        plan.Get("Notify").Invoked.ShouldBeFalse();
        Describe(plan).ShouldBe(Describe(Plan(declaredWithTriggers, "Deploy")));
    }

    [Fact]
    public void A_dependency_cycle_is_reported_with_its_members_only()
    {
        TargetSpec[] specs =
        [
            Target("Entry", DependsOn("Alpha")),
            Target("Alpha", DependsOn("Bravo")),
            Target("Bravo", DependsOn("Charlie")),
            Target("Charlie", DependsOn("Alpha")),
        ];

        var failure = Should.Throw<BuildFailure>(() => Plan(specs, "Entry"));

        failure.ExitCode.ShouldBe(ExitCodes.BadInput);
        failure.Message.ShouldContain("cycle");
        failure.Message.ShouldContain("Alpha");
        failure.Message.ShouldContain("Bravo");
        failure.Message.ShouldContain("Charlie");
        failure.Message.ShouldNotContain("Entry");
    }

    [Fact]
    public void A_cycle_through_an_ordering_edge_is_reported()
    {
        TargetSpec[] specs = [Target("Compile", After("Test")), Target("Test", DependsOn("Compile"))];

        var failure = Should.Throw<BuildFailure>(() => Plan(specs, "Test"));

        failure.Message.ShouldContain("cycle");
        failure.Message.ShouldContain("Compile");
        failure.Message.ShouldContain("Test");
    }

    [Fact]
    public void Static_condition_skips_the_target_and_dependencies_only_it_needed()
    {
        TargetSpec[] specs =
        [
            Target("Compile"),
            Target("Test", DependsOn("Compile")),
            Target("Pack", DependsOn("Compile")),
            Target("Sign", DependsOn("Pack")),
            Target("Publish", DependsOn("Sign"), DependsOn("Test")) with { StaticConditions = [Condition.From(() => false, "() => Context.IsRelease")] },
            Target("Ci", DependsOn("Publish"), DependsOn("Test")),
        ];

        var plan = Plan(specs, "Ci");

        plan.Get("Publish").Decision.ShouldBe(Decision.Skip);
        plan.Get("Publish").Reason.ShouldBe("condition is false: Context.IsRelease");
        plan.Get("Sign").Decision.ShouldBe(Decision.Skip);
        plan.Get("Sign").Reason.ShouldBe("needed only by Publish, which is skipped");
        plan.Get("Pack").Decision.ShouldBe(Decision.Skip);
        plan.Get("Pack").Reason.ShouldBe("needed only by Publish, which is skipped");
        plan.Get("Test").Decision.ShouldBe(Decision.Run);
        plan.Get("Compile").Decision.ShouldBe(Decision.Run);
        plan.Get("Ci").Decision.ShouldBe(Decision.Run);
    }

    [Fact]
    public void A_true_static_condition_leaves_the_target_running()
    {
        TargetSpec[] specs = [Target("Publish") with { StaticConditions = [Is(true, "Context.IsRelease")] }];

        var publish = Plan(specs, "Publish").Get("Publish");

        publish.Decision.ShouldBe(Decision.Run);
        publish.Reason.ShouldBeNull();
    }

    [Fact]
    public void Conditions_are_evaluated_once_per_plan()
    {
        var staticEvaluations = 0;
        var whenEvaluations = 0;
        TargetSpec[] specs =
        [
            Target("Compile") with { StaticConditions = [new Condition(() => ++staticEvaluations > 0, "Always")] },
            Target("Image", DependsOn("Compile")),
            Target("Ci", DependsOn("Image", new Condition(() => ++whenEvaluations > 0, "Context.BuildsImage")), DependsOn("Compile")),
        ];

        Plan(specs, "Ci");

        staticEvaluations.ShouldBe(1);
        whenEvaluations.ShouldBe(1);
    }

    [Fact]
    public void Dynamic_conditions_are_planned_to_run_with_the_condition_as_reason()
    {
        TargetSpec[] specs = [Target("Migrate") with { DynamicConditions = [Is(false, "Database.HasPendingMigrations"), Is(true, "Database.IsReachable")] }];

        var migrate = Plan(specs, "Migrate").Get("Migrate");

        migrate.Decision.ShouldBe(Decision.Run);
        migrate.Reason.ShouldBe("runs only if, when it starts, Database.HasPendingMigrations and Database.IsReachable");
    }

    [Fact]
    public void A_conditional_dependency_is_pulled_in_only_when_its_condition_holds()
    {
        TargetSpec[] specs =
        [
            Target("Compile"),
            Target("DockerImage"),
            Target("DeployDev"),
            Target("Ci", DependsOn("Compile"), DependsOn("DockerImage", Is(true, "Context.BuildsImage")), DependsOn("DeployDev", Is(false, "Context.IsMainPush"))),
        ];

        var plan = Plan(specs, "Ci");

        plan.Names().ShouldBe(["Compile", "DockerImage", "Ci"]);
        plan.Get("Ci").DependsOn.ShouldBe(["Compile", "DockerImage"]);
        plan.Get("Ci").Conditional.ShouldBe(
        [
            new ConditionalLink("dependsOn", "DockerImage", "Context.BuildsImage", true),
            new ConditionalLink("dependsOn", "DeployDev", "Context.IsMainPush", false),
        ]);
    }

    [Fact]
    public void A_conditional_trigger_is_recorded_and_followed_only_when_it_holds()
    {
        TargetSpec[] specs =
        [
            Target("Deploy", Triggers("Notify", Is(false, "Context.IsProduction")), Triggers("Smoke", Is(true, "Context.HasUrl"))),
            Target("Notify"),
            Target("Smoke"),
        ];

        var plan = Plan(specs, "Deploy");

        plan.Names().ShouldBe(["Deploy", "Smoke"]);
        plan.Get("Deploy").Conditional.ShouldBe(
        [
            new ConditionalLink("triggers", "Notify", "Context.IsProduction", false),
            new ConditionalLink("triggers", "Smoke", "Context.HasUrl", true),
        ]);
    }

    [Fact]
    public void A_false_conditional_dependency_still_runs_when_another_target_needs_it()
    {
        TargetSpec[] specs =
        [
            Target("DockerImage"),
            Target("Smoke", DependsOn("DockerImage")),
            Target("Ci", DependsOn("DockerImage", Is(false, "Context.BuildsImage")), DependsOn("Smoke")),
        ];

        var plan = Plan(specs, "Ci");

        plan.Names().ShouldBe(["DockerImage", "Smoke", "Ci"]);
        plan.Get("Ci").DependsOn.ShouldBe(["Smoke"]);
    }

    [Fact]
    public void Skip_by_name_skips_the_target_and_what_only_it_needed()
    {
        TargetSpec[] specs =
        [
            Target("Restore"),
            Target("Compile", DependsOn("Restore")),
            Target("Generate"),
            Target("Test", DependsOn("Compile"), DependsOn("Generate")),
            Target("Ci", DependsOn("Test"), DependsOn("Compile")),
        ];

        var plan = Plan(specs, new PlanRequest(["Ci"], Skip: ["test"]));

        plan.Get("Test").Decision.ShouldBe(Decision.Skip);
        plan.Get("Test").Reason.ShouldBe("skipped by --skip");
        plan.Get("Generate").Reason.ShouldBe("needed only by Test, which is skipped");
        plan.Get("Compile").Decision.ShouldBe(Decision.Run);
        plan.Get("Restore").Decision.ShouldBe(Decision.Run);
        plan.Get("Ci").Decision.ShouldBe(Decision.Run);
    }

    [Fact]
    public void Bare_skip_runs_only_the_invoked_targets()
    {
        TargetSpec[] specs =
        [
            Target("Restore"),
            Target("Compile", DependsOn("Restore")),
            Target("Test", DependsOn("Compile")),
            Target("Publish", DependsOn("Test")),
        ];

        var plan = Plan(specs, new PlanRequest(["Test", "Publish"], Skip: [], SkipAllButInvoked: true));

        plan.Running.Select(target => target.Name).ShouldBe(["Test", "Publish"]);
        plan.Get("Compile").Reason.ShouldBe("skipped by --skip (only invoked targets run)");
        plan.Get("Restore").Reason.ShouldBe("skipped by --skip (only invoked targets run)");
    }

    [Fact]
    public void A_target_skipped_for_its_own_reason_keeps_that_reason()
    {
        TargetSpec[] specs =
        [
            Target("Restore") with { StaticConditions = [Is(false, "Context.NeedsRestore")] },
            Target("Publish", DependsOn("Restore")) with { StaticConditions = [Is(false, "Context.IsRelease")] },
        ];

        var plan = Plan(specs, "Publish");

        plan.Get("Restore").Reason.ShouldBe("condition is false: Context.NeedsRestore");
    }

    [Fact]
    public void An_unknown_target_is_bad_input_with_a_suggestion()
    {
        TargetSpec[] specs = [Target("Compile"), Target("Test"), Target("Publish")];

        var failure = Should.Throw<BuildFailure>(() => Plan(specs, "Compil"));

        failure.ExitCode.ShouldBe(ExitCodes.BadInput);
        failure.Message.ShouldBe("Unknown target 'Compil'. Did you mean Compile?");
    }

    [Fact]
    public void An_unknown_target_to_skip_is_bad_input_with_a_suggestion()
    {
        TargetSpec[] specs = [Target("Compile"), Target("Test", DependsOn("Compile"))];

        var failure = Should.Throw<BuildFailure>(() => Plan(specs, new PlanRequest(["Test"], Skip: ["Compiel"])));

        failure.ExitCode.ShouldBe(ExitCodes.BadInput);
        failure.Message.ShouldContain("Did you mean Compile?");
    }

    [Fact]
    public void Target_names_are_matched_ignoring_case()
    {
        TargetSpec[] specs = [Target("Compile"), Target("Test", DependsOn("compile"))];

        Plan(specs, "TEST").Names().ShouldBe(["Compile", "Test"]);
    }

    [Fact]
    public void Reachable_targets_follow_dependencies_and_triggers_whatever_their_conditions_say()
    {
        var graph = TargetGraph.Build(
        [
            Target("Base"),
            Target("Image", DependsOn("Base", Is(false, "the base is missing"))),
            Target("Notify"),
            Target("Deploy", DependsOn("Image"), Triggers("Notify")),
            Target("Docs", DependentFor("Deploy")),
            Target("Lint"),
        ]);

        graph.ReachableFrom(["deploy", "NoSuchTarget"]).Order().ShouldBe(["Base", "Deploy", "Docs", "Image", "Notify"]);
        graph.ReachableFrom(["Lint"]).ShouldBe(["Lint"]);
    }

    [Fact]
    public void An_edge_to_a_missing_target_is_bad_input()
    {
        var failure = Should.Throw<BuildFailure>(() => TargetGraph.Build([Target("Test", DependsOn("Compile"))]));

        failure.ExitCode.ShouldBe(ExitCodes.BadInput);
        failure.Message.ShouldContain("Test refers to Compile");
    }

    [Fact]
    public void A_target_declared_twice_is_bad_input()
    {
        var failure = Should.Throw<BuildFailure>(() => TargetGraph.Build([Target("Test"), Target("test")]));

        failure.ExitCode.ShouldBe(ExitCodes.BadInput);
        failure.Message.ShouldContain("declared twice");
    }

    private static string Describe(Plan plan) => string.Join("; ", plan.Targets.Select(target =>
        $"{target.Name} {target.Decision} {target.Reason} deps[{string.Join(",", target.DependsOn)}] waits[{string.Join(",", target.WaitsFor)}] invoked={target.Invoked}"));
}
