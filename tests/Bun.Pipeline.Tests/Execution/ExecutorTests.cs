using Bun.Pipeline.Execution;
using Bun.Pipeline.Output;
using Bun.Pipeline.Planning;
using Bun.Pipeline.Targets;
using static Bun.Pipeline.Tests.Support.Specs;

namespace Bun.Pipeline.Tests.Execution;

public sealed class ExecutorTests
{
    private static readonly TimeSpan GateTimeout = TimeSpan.FromSeconds(10);
    private readonly StringWriter _text = new();
    private readonly List<string> _events = [];

    [Fact]
    public async Task Sequential_run_executes_the_targets_in_plan_order()
    {
        TargetSpec[] specs =
        [
            Recording("Publish", DependsOn("Test")),
            Recording("Test", DependsOn("Compile")),
            Recording("Lint"),
            Recording("Compile"),
            Recording("Ci", DependsOn("Publish"), DependsOn("Lint")),
        ];
        var plan = Plan(specs, "Ci");

        var report = await Run(plan);

        Events("start").ShouldBe(plan.Names());
        report.Results.Select(result => result.Name).ShouldBe(plan.Names());
        report.Results.ShouldAllBe(result => result.Status == TargetStatus.Succeeded);
        report.Succeeded.ShouldBeTrue();
        report.Cancelled.ShouldBeFalse();
    }

    [Fact]
    public async Task Parallel_run_never_starts_a_target_before_what_it_waits_for_has_finished()
    {
        // Compile cannot finish until Lint has started, so a target started early would see it unfinished.
        var lintStarted = Gate();
        TargetSpec[] specs =
        [
            Recording("Compile", before: async () => await lintStarted.Task.WaitAsync(GateTimeout)),
            Recording("Test", DependsOn("Compile")),
            Recording("Pack", DependsOn("Compile")),
            Recording("Lint", before: Do(() => Open(lintStarted))),
            Recording("Docs", After("Pack")),
            Recording("Publish", DependsOn("Test"), DependsOn("Pack"), DependsOn("Lint"), DependsOn("Docs")),
        ];
        var plan = Plan(specs, "Publish");

        var report = await Run(plan, maxParallel: 4);

        report.Results.ShouldAllBe(result => result.Status == TargetStatus.Succeeded);
        foreach (var target in plan.Targets)
        foreach (var predecessor in target.WaitsFor)
            _events.IndexOf($"finish {predecessor}").ShouldBeLessThan(_events.IndexOf($"start {target.Name}"), $"{target.Name} waits for {predecessor}");
    }

    [Fact]
    public async Task Parallel_run_overlaps_independent_targets()
    {
        // Each waits until the other has started: a sequential executor would time out here.
        var firstStarted = Gate();
        var secondStarted = Gate();
        TargetSpec[] specs =
        [
            Target("First") with { Body = async _ => { Open(firstStarted); await secondStarted.Task.WaitAsync(GateTimeout); } },
            Target("Second") with { Body = async _ => { Open(secondStarted); await firstStarted.Task.WaitAsync(GateTimeout); } },
            Target("Both", DependsOn("First"), DependsOn("Second")),
        ];

        var report = await Run(Plan(specs, "Both"), maxParallel: 4);

        report.Results.ShouldAllBe(result => result.Status == TargetStatus.Succeeded);
    }

    [Fact]
    public async Task Parallel_run_starts_no_more_targets_than_allowed()
    {
        var running = 0;
        var most = 0;
        var lockObject = new object();
        TargetSpec[] specs = Enumerable.Range(1, 6).Select(index => Target($"T{index}") with
        {
            Body = async _ =>
            {
                lock (lockObject)
                    most = Math.Max(most, ++running);
                await Task.Delay(20);
                lock (lockObject)
                    running--;
            },
        }).Append(Target("All", [.. Enumerable.Range(1, 6).Select(index => DependsOn($"T{index}"))])).ToArray();

        var report = await Run(Plan(specs, "All"), maxParallel: 2);

        report.Succeeded.ShouldBeTrue();
        most.ShouldBeLessThanOrEqualTo(2);
    }

    [Fact]
    public async Task A_failure_stops_the_rest_but_assured_targets_still_run()
    {
        TargetSpec[] specs =
        [
            Recording("Compile", before: Do(() => throw new InvalidOperationException("compiler crashed\nstack trace line"))),
            Recording("Lint"),
            Recording("Test", DependsOn("Compile")),
            Recording("Cleanup") with { AssuredAfterFailure = true },
            Recording("Ci", DependsOn("Compile"), DependsOn("Lint"), DependsOn("Test"), DependsOn("Cleanup")),
        ];

        var report = await Run(Plan(specs, "Ci"));

        Result(report, "Compile").ShouldBe(new TargetResult("Compile", TargetStatus.Failed, "compiler crashed", Result(report, "Compile").Duration));
        Result(report, "Lint").Status.ShouldBe(TargetStatus.NotRun);
        Result(report, "Lint").Reason.ShouldBe("the build stopped after Compile failed");
        Result(report, "Test").Status.ShouldBe(TargetStatus.NotRun);
        Result(report, "Ci").Status.ShouldBe(TargetStatus.NotRun);
        Result(report, "Cleanup").Status.ShouldBe(TargetStatus.Succeeded);
        Events("finish").ShouldBe(["Cleanup"]);
        report.Succeeded.ShouldBeFalse();
        _text.ToString().ShouldContain("compiler crashed\nstack trace line");
    }

    [Fact]
    public async Task An_assured_target_runs_even_when_its_dependency_failed()
    {
        TargetSpec[] specs =
        [
            Recording("Deploy", before: Do(() => throw new InvalidOperationException("rollout timed out"))),
            Recording("Rollback", DependsOn("Deploy")) with { AssuredAfterFailure = true },
        ];

        var report = await Run(Plan(specs, "Rollback"));

        Result(report, "Deploy").Status.ShouldBe(TargetStatus.Failed);
        Result(report, "Rollback").Status.ShouldBe(TargetStatus.Succeeded);
    }

    [Fact]
    public async Task ProceedAfterFailure_lets_independent_targets_continue_while_dependents_do_not_run()
    {
        TargetSpec[] specs =
        [
            Recording("Compile", before: Do(() => throw new InvalidOperationException("compiler crashed"))) with { ProceedAfterFailure = true },
            Recording("Test", DependsOn("Compile")),
            Recording("Lint"),
            Recording("Docs"),
            Recording("Ci", DependsOn("Test"), DependsOn("Lint"), DependsOn("Docs")),
        ];

        var report = await Run(Plan(specs, "Ci"));

        Result(report, "Compile").Status.ShouldBe(TargetStatus.Failed);
        Result(report, "Test").Status.ShouldBe(TargetStatus.NotRun);
        Result(report, "Test").Reason.ShouldBe("dependency Compile did not succeed");
        Result(report, "Ci").Status.ShouldBe(TargetStatus.NotRun);
        Result(report, "Ci").Reason.ShouldBe("dependency Test did not succeed");
        Result(report, "Lint").Status.ShouldBe(TargetStatus.Succeeded);
        Result(report, "Docs").Status.ShouldBe(TargetStatus.Succeeded);
        report.Succeeded.ShouldBeFalse();
    }

    [Fact]
    public async Task A_false_dynamic_condition_skips_the_target_when_it_would_start()
    {
        var hasMigrations = true;
        TargetSpec[] specs =
        [
            Recording("Build", before: Do(() => hasMigrations = false)),
            Recording("Migrate", DependsOn("Build")) with { DynamicConditions = [new Condition(() => hasMigrations, "Database.HasPendingMigrations")] },
            Recording("Deploy", DependsOn("Migrate")),
        ];
        var plan = Plan(specs, "Deploy");
        plan.Get("Migrate").Decision.ShouldBe(Decision.Run);

        var report = await Run(plan);

        Result(report, "Migrate").Status.ShouldBe(TargetStatus.Skipped);
        Result(report, "Migrate").Reason.ShouldBe("condition is false: Database.HasPendingMigrations");
        Result(report, "Deploy").Status.ShouldBe(TargetStatus.Succeeded);
        Events("start").ShouldBe(["Build", "Deploy"]);
        report.Succeeded.ShouldBeTrue();
    }

    [Fact]
    public async Task Targets_the_plan_skips_are_reported_skipped_and_never_run()
    {
        TargetSpec[] specs =
        [
            Recording("Pack"),
            Recording("Publish", DependsOn("Pack")) with { StaticConditions = [Is(false, "Context.IsRelease")] },
            Recording("Ci", DependsOn("Publish")),
        ];

        var report = await Run(Plan(specs, "Ci"));

        Result(report, "Publish").ShouldBe(new TargetResult("Publish", TargetStatus.Skipped, "condition is false: Context.IsRelease", TimeSpan.Zero));
        Result(report, "Pack").Status.ShouldBe(TargetStatus.Skipped);
        Events("start").ShouldBe(["Ci"]);
    }

    [Fact]
    public async Task Cancelling_a_running_target_stops_the_build_but_assured_targets_run()
    {
        using var cancellation = new CancellationTokenSource();
        var cleanupToken = new TaskCompletionSource<CancellationToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        TargetSpec[] specs =
        [
            Target("Deploy") with
            {
                Body = async token =>
                {
                    await cancellation.CancelAsync();
                    await Task.Delay(Timeout.Infinite, token);
                },
            },
            Recording("Smoke", DependsOn("Deploy")),
            Recording("Notify"),
            Target("Cleanup") with { AssuredAfterFailure = true, Body = token => { cleanupToken.SetResult(token); return Task.CompletedTask; } },
        ];

        var report = await Run(Plan(specs, "Smoke", "Notify", "Cleanup"), cancellation: cancellation.Token);

        report.Cancelled.ShouldBeTrue();
        report.Succeeded.ShouldBeFalse();
        Result(report, "Deploy").Status.ShouldBe(TargetStatus.Failed);
        Result(report, "Deploy").Reason.ShouldBe("cancelled");
        Result(report, "Smoke").Status.ShouldBe(TargetStatus.NotRun);
        Result(report, "Notify").Status.ShouldBe(TargetStatus.NotRun);
        Result(report, "Notify").Reason.ShouldBe("the build was cancelled");
        Result(report, "Cleanup").Status.ShouldBe(TargetStatus.Succeeded);
        (await cleanupToken.Task).IsCancellationRequested.ShouldBeFalse("assured targets get a token that is not cancelled");
        _events.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_build_cancelled_before_it_starts_runs_only_assured_targets()
    {
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();
        TargetSpec[] specs = [Recording("Compile"), Recording("Cleanup") with { AssuredAfterFailure = true }];

        var report = await Run(Plan(specs, "Compile", "Cleanup"), cancellation: cancellation.Token);

        Result(report, "Compile").ShouldBe(new TargetResult("Compile", TargetStatus.NotRun, "the build was cancelled", TimeSpan.Zero));
        Result(report, "Cleanup").Status.ShouldBe(TargetStatus.Succeeded);
        report.Cancelled.ShouldBeTrue();
    }

    [Fact]
    public async Task Parallel_output_is_written_as_one_block_per_target()
    {
        // The gates force the writes to alternate: A, B, A, B.
        var aWroteFirst = Gate();
        var bWroteFirst = Gate();
        var aWroteSecond = Gate();
        TargetSpec[] specs =
        [
            Target("A") with { Body = async _ => { Log.Info("a: one"); Open(aWroteFirst); await bWroteFirst.Task.WaitAsync(GateTimeout); Log.Info("a: two"); Open(aWroteSecond); } },
            Target("B") with { Body = async _ => { await aWroteFirst.Task.WaitAsync(GateTimeout); Log.Info("b: one"); Open(bWroteFirst); await aWroteSecond.Task.WaitAsync(GateTimeout); Log.Info("b: two"); } },
            Target("Both", DependsOn("A"), DependsOn("B")),
        ];

        var report = await Run(Plan(specs, "Both"), maxParallel: 4);

        report.Succeeded.ShouldBeTrue();
        var lines = Lines();
        var a = lines.IndexOf("▶ A");
        var b = lines.IndexOf("▶ B");
        lines.Skip(a).Take(3).ShouldBe(["▶ A", "a: one", "a: two"]);
        lines.Skip(b).Take(3).ShouldBe(["▶ B", "b: one", "b: two"]);
    }

    [Fact]
    public async Task Sequential_output_streams_under_each_target_heading()
    {
        TargetSpec[] specs = [Target("Compile") with { Body = _ => { Log.Info("compiling"); return Task.CompletedTask; } }];

        await Run(Plan(specs, "Compile"));

        Lines().ShouldBe(["▶ Compile", "compiling"]);
    }

    private BuildOutput Log { get; set; } = null!;

    private async Task<BuildReport> Run(Plan plan, int maxParallel = 1, CancellationToken cancellation = default)
    {
        Log = new BuildOutput(_text, new OutputStyle(Colour: false, GitHubActions: false), new SecretMasker());
        return await new Executor(Log, new ExecutionOptions(maxParallel)).RunAsync(plan, cancellation);
    }

    private TargetSpec Recording(string name, params Edge[] edges) => Recording(name, null, edges);

    private TargetSpec Recording(string name, Func<Task>? before, params Edge[] edges) => Target(name, edges) with
    {
        Body = async _ =>
        {
            Record($"start {name}");
            if (before is not null)
                await before();
            await Task.Yield();
            Record($"finish {name}");
        },
    };

    private static Func<Task> Do(Action action) => () =>
    {
        action();
        return Task.CompletedTask;
    };

    private void Record(string text)
    {
        lock (_events)
            _events.Add(text);
    }

    private List<string> Events(string kind) =>
        _events.Where(text => text.StartsWith(kind + " ", StringComparison.Ordinal)).Select(text => text[(kind.Length + 1)..]).ToList();

    private List<string> Lines() => _text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();

    private static TargetResult Result(BuildReport report, string name) => report.Results.Single(result => result.Name == name);

    private static TaskCompletionSource Gate() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static void Open(TaskCompletionSource gate) => gate.TrySetResult();
}
