using System.Runtime.CompilerServices;

namespace Bun.Pipeline.Targets;

/// <summary>The fluent vocabulary of a target. Condition texts come from the call site, so plans quote the build class.</summary>
public interface ITargetDefinition
{
    ITargetDefinition Description(string text);

    /// <summary>The heading <c>--help</c> lists the target under (build, images, deploy, …); groups keep the order they are first declared in.</summary>
    ITargetDefinition Group(string name);

    /// <summary>Execution edge: the targets run first, and are pulled into the plan.</summary>
    ITargetDefinition DependsOn(params Target[] targets);

    /// <summary>Execution edge, declared from the other side: the targets depend on this one.</summary>
    ITargetDefinition DependentFor(params Target[] targets);

    /// <summary>Ordering only: when both are planned, this one runs first.</summary>
    ITargetDefinition Before(params Target[] targets);

    /// <summary>Ordering only: when both are planned, this one runs after.</summary>
    ITargetDefinition After(params Target[] targets);

    /// <summary>The targets join the plan and run after this one.</summary>
    ITargetDefinition Triggers(params Target[] targets);

    /// <summary>This target joins the plan whenever one of the targets is planned, and runs after it.</summary>
    ITargetDefinition TriggeredBy(params Target[] targets);

    /// <summary>Makes the edges declared by the previous call conditional on the delivery context.</summary>
    ITargetDefinition When(Func<bool> condition, [CallerArgumentExpression(nameof(condition))] string? text = null);

    /// <summary>As <see cref="When(Func{bool}, string?)"/>, quoted as the rule's <paramref name="name"/> instead of its source text.</summary>
    ITargetDefinition When(string name, Func<bool> condition);

    /// <summary>Evaluated once for the whole plan; a false condition skips the target and the dependencies only it needed.</summary>
    ITargetDefinition OnlyWhenStatic(Func<bool> condition, [CallerArgumentExpression(nameof(condition))] string? text = null);

    /// <summary>Evaluated just before the target would start.</summary>
    ITargetDefinition OnlyWhenDynamic(Func<bool> condition, [CallerArgumentExpression(nameof(condition))] string? text = null);

    /// <summary>A parameter that must have a value before anything runs, e.g. <c>Requires(() => Registry)</c>.</summary>
    ITargetDefinition Requires<T>(Func<T?> parameter, [CallerArgumentExpression(nameof(parameter))] string? text = null);

    /// <summary>A predicate that must hold before anything runs.</summary>
    ITargetDefinition Requires(Func<bool> predicate, [CallerArgumentExpression(nameof(predicate))] string? text = null);

    /// <summary>
    /// What the target needs from the outside world (a Docker engine, a registry that answers, a value in range). Every
    /// planned target's needs are checked in parallel before the first target starts; a missing one stops the build (exit 2).
    /// </summary>
    ITargetDefinition Needs(params Need[] needs);

    /// <summary>
    /// As <see cref="Needs(Need[])"/>, read only when the needs are checked or listed: then the build's services, context
    /// and parameters are ready, which they are not when targets are declared (e.g. to generate the schema).
    /// </summary>
    ITargetDefinition Needs(Func<IEnumerable<Need>> needs);

    /// <summary>
    /// A parameter the target reads without requiring it, e.g. <c>Uses(() => GitOpsToken)</c>; with the ones it requires,
    /// these are what generated workflows map into the steps that run the target (secrets included).
    /// </summary>
    ITargetDefinition Uses<T>(Func<T?> parameter, [CallerArgumentExpression(nameof(parameter))] string? text = null);

    /// <summary>A rule that forbids this target in some contexts; returns the rule's message when it is broken.</summary>
    ITargetDefinition Guard(Func<string?> violation);

    ITargetDefinition ProceedAfterFailure();
    ITargetDefinition AssuredAfterFailure();
    ITargetDefinition Unlisted();

    ITargetDefinition Executes(Func<CancellationToken, Task> body);
    ITargetDefinition Executes(Func<Task> body);
    ITargetDefinition Executes(Action body);
}
