using Bun.Pipeline.Planning;
using Bun.Pipeline.Prerequisites;
using Bun.Pipeline.Targets;
using Bun.Pipeline.Tests.Support;

namespace Bun.Pipeline.Tests.Prerequisites;

/// <summary>The checks run on plain plans: no build class, no reflection.</summary>
public sealed class PrerequisiteCheckTests
{
    [Fact]
    public async Task Needs_are_checked_in_parallel()
    {
        // Each check waits until the other has started: run one after the other, they would wait for ever.
        var first = new TaskCompletionSource();
        var second = new TaskCompletionSource();
        var plan = Specs.Plan([
            Specs.Target("A") with { Needs = [new Need("first", async token => { first.SetResult(); await second.Task.WaitAsync(token); return NeedStatus.Ok(); })] },
            Specs.Target("B") with { Needs = [new Need("second", async token => { second.SetResult(); await first.Task.WaitAsync(token); return NeedStatus.Ok(); })] },
        ], "A", "B");

        var report = await PrerequisiteCheck.CheckAsync(plan, [], TimeSpan.FromMinutes(1), CancellationToken.None);

        report.Needs["first"].State.ShouldBe(NeedState.Ok);
        report.Needs["second"].State.ShouldBe(NeedState.Ok);
        report.Problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_check_that_does_not_answer_in_time_is_a_missing_need()
    {
        var plan = Specs.Plan([Specs.Target("Push") with { Needs = [new Need("a registry", async token => { await Task.Delay(Timeout.Infinite, token); return NeedStatus.Ok(); })] }], "Push");

        var report = await PrerequisiteCheck.CheckAsync(plan, [], TimeSpan.FromMilliseconds(50), CancellationToken.None);

        report.Needs["a registry"].ShouldBe(NeedStatus.Missing("no answer within 0.1 s"));
        report.Problems.ShouldBe(["Push needs a registry: no answer within 0.1 s"]);
    }

    [Fact]
    public async Task A_need_shared_by_targets_is_checked_once_and_named_with_all_of_them()
    {
        var checks = 0;
        var engine = Need.Of("a Docker engine", () =>
        {
            Interlocked.Increment(ref checks);
            return NeedStatus.Missing("start it.");
        });
        var plan = Specs.Plan([
            Specs.Target("Image") with { Needs = [engine] },
            Specs.Target("Push", Specs.DependsOn("Image")) with { Needs = [engine] },
        ], "Push");

        var report = await PrerequisiteCheck.CheckAsync(plan, [], PrerequisiteCheck.DefaultTimeout, CancellationToken.None);

        checks.ShouldBe(1);
        report.Problems.ShouldBe(["Image, Push needs a Docker engine: start it"]);
    }

    [Fact]
    public async Task The_needs_of_a_skipped_target_are_not_checked()
    {
        var checks = 0;
        var plan = Specs.Plan([Specs.Target("Deploy") with
        {
            StaticConditions = [Specs.Is(false, "IsMain")],
            Needs = [Need.Of("a registry", () => { checks++; return NeedStatus.Missing("give --registry"); })],
        }], "Deploy");

        var report = await PrerequisiteCheck.CheckAsync(plan, [], PrerequisiteCheck.DefaultTimeout, CancellationToken.None);

        checks.ShouldBe(0);
        report.Problems.ShouldBeEmpty();
        report.StatusOf(plan.Get("Deploy"), plan.Get("Deploy").Spec.Needs[0]).ShouldBe(NeedStatus.NotChecked("the target is skipped"));
    }

    [Fact]
    public async Task A_check_that_throws_is_a_missing_need_with_its_message()
    {
        var plan = Specs.Plan([Specs.Target("Migrate") with { Needs = [Need.Of("a database URL that parses", () => throw Failures.BuildFailure.BadInput("--database-url has no host."))] }], "Migrate");

        var report = await PrerequisiteCheck.CheckAsync(plan, [], PrerequisiteCheck.DefaultTimeout, CancellationToken.None);

        var failure = Should.Throw<Failures.BuildFailure>(report.ThrowIfUnmet);
        failure.ExitCode.ShouldBe(Failures.ExitCodes.BadInput);
        failure.Message.ShouldBe("Migrate needs a database URL that parses: --database-url has no host.");
    }

    [Fact]
    public async Task Unmet_requirements_and_missing_needs_are_one_line()
    {
        var plan = Specs.Plan([Specs.Target("Deploy") with
        {
            Requirements = [new Requirement(() => false, "Registry", null)],
            Needs = [Need.Of("--settle-seconds in range", () => NeedStatus.Missing("--settle-seconds is 0 or more, got -1"))],
        }], "Deploy");

        var report = await PrerequisiteCheck.CheckAsync(plan, [], PrerequisiteCheck.DefaultTimeout, CancellationToken.None);

        Should.Throw<Failures.BuildFailure>(report.ThrowIfUnmet).Message
            .ShouldBe("Deploy needs Registry; Deploy needs --settle-seconds in range: --settle-seconds is 0 or more, got -1.");
    }

    [Fact]
    public void A_target_that_succeeded_in_the_run_continue_resumes_is_skipped()
    {
        var plan = Specs.Plan([Specs.Target("Compile"), Specs.Target("Test", Specs.DependsOn("Compile"))], new PlanRequest(["Test"]) { Succeeded = ["Compile"] });

        plan.Get("Compile").Decision.ShouldBe(Decision.Skip);
        plan.Get("Compile").Reason.ShouldBe("succeeded in the failed run that --continue resumes");
        plan.Get("Test").Decision.ShouldBe(Decision.Run);
    }

    [Fact]
    public void An_unknown_target_that_is_a_synonym_suggests_the_target_meant()
    {
        var failure = Should.Throw<Failures.BuildFailure>(() => Specs.Plan([Specs.Target("PromoteProd"), Specs.Target("DeployDev")],
            new PlanRequest(["DeployProd"]) { Synonyms = new Dictionary<string, string> { ["deployprod"] = "PromoteProd" } }));

        failure.Message.ShouldBe("Unknown target 'DeployProd'. Did you mean PromoteProd?");
    }
}
