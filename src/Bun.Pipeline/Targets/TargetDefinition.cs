using System.Text.RegularExpressions;

namespace Bun.Pipeline.Targets;

/// <summary>Collects one target's fluent calls; <see cref="ToSpec"/> turns target delegates into names.</summary>
internal sealed partial class TargetDefinition(string name) : ITargetDefinition
{
    private readonly List<(EdgeKind Kind, Target[] Targets, Condition? When)> _edges = [];
    private readonly List<Condition> _static = [];
    private readonly List<Condition> _dynamic = [];
    private readonly List<Requirement> _requirements = [];
    private readonly List<Guard> _guards = [];
    private readonly List<string> _uses = [];
    private readonly List<Func<IEnumerable<Need>>> _needs = [];
    private readonly List<Func<CancellationToken, Task>> _bodies = [];
    private string? _description;
    private string? _group;
    private bool _proceed;
    private bool _assured;
    private bool _unlisted;
    private bool _lastCallDeclaredEdges;

    public ITargetDefinition Description(string text) => Set(() => _description = text);
    public ITargetDefinition Group(string name) => Set(() => _group = name);
    public ITargetDefinition DependsOn(params Target[] targets) => AddEdges(EdgeKind.DependsOn, targets);
    public ITargetDefinition DependentFor(params Target[] targets) => AddEdges(EdgeKind.DependentFor, targets);
    public ITargetDefinition Before(params Target[] targets) => AddEdges(EdgeKind.Before, targets);
    public ITargetDefinition After(params Target[] targets) => AddEdges(EdgeKind.After, targets);
    public ITargetDefinition Triggers(params Target[] targets) => AddEdges(EdgeKind.Triggers, targets);
    public ITargetDefinition TriggeredBy(params Target[] targets) => AddEdges(EdgeKind.TriggeredBy, targets);

    public ITargetDefinition When(Func<bool> condition, string? text = null) => When(Condition.From(condition, text));

    public ITargetDefinition When(string name, Func<bool> condition) => When(new Condition(condition, name));

    private TargetDefinition When(Condition condition)
    {
        if (!_lastCallDeclaredEdges || _edges[^1].When is not null)
            throw new InvalidOperationException($"Target {name}: When(...) must follow DependsOn, DependentFor, Before, After, Triggers or TriggeredBy.");
        _edges[^1] = _edges[^1] with { When = condition };
        return this;
    }

    public ITargetDefinition OnlyWhenStatic(Func<bool> condition, string? text = null) => Set(() => _static.Add(Condition.From(condition, text)));
    public ITargetDefinition OnlyWhenDynamic(Func<bool> condition, string? text = null) => Set(() => _dynamic.Add(Condition.From(condition, text)));

    public ITargetDefinition Requires<T>(Func<T?> parameter, string? text = null) =>
        Set(() => _requirements.Add(new Requirement(() => IsPresent(parameter()), Condition.Describe(text), MemberOf(text))));

    public ITargetDefinition Requires(Func<bool> predicate, string? text = null) =>
        Set(() => _requirements.Add(new Requirement(predicate, Condition.Describe(text), MemberOf(text))));

    public ITargetDefinition Uses<T>(Func<T?> parameter, string? text = null) =>
        Set(() => _uses.Add(MemberOf(text) ?? throw new InvalidOperationException($"Target {name}: Uses(...) takes a parameter, e.g. Uses(() => Token); got '{text}'.")));

    public ITargetDefinition Needs(params Need[] needs) => Needs(() => needs);
    public ITargetDefinition Needs(Func<IEnumerable<Need>> needs) => Set(() => _needs.Add(needs));
    public ITargetDefinition Guard(Func<string?> violation) => Set(() => _guards.Add(new Guard(violation)));
    public ITargetDefinition ProceedAfterFailure() => Set(() => _proceed = true);
    public ITargetDefinition AssuredAfterFailure() => Set(() => _assured = true);
    public ITargetDefinition Unlisted() => Set(() => _unlisted = true);
    public ITargetDefinition Executes(Func<CancellationToken, Task> body) => Set(() => _bodies.Add(body));
    public ITargetDefinition Executes(Func<Task> body) => Executes(_ => body());

    public ITargetDefinition Executes(Action body) => Executes(_ =>
    {
        body();
        return Task.CompletedTask;
    });

    public TargetSpec ToSpec(Func<Target, string> nameOf)
    {
        var bodies = _bodies.ToArray();
        return new TargetSpec
        {
            Name = name,
            Description = _description,
            Edges = _edges.SelectMany(group => group.Targets.Select(target => new Edge(group.Kind, nameOf(target), group.When))).ToArray(),
            StaticConditions = _static.ToArray(),
            DynamicConditions = _dynamic.ToArray(),
            Requirements = _requirements.ToArray(),
            Guards = _guards.ToArray(),
            Needs = new DeferredList<Need>(() => _needs.SelectMany(needs => needs()).ToList()),
            Group = _group,
            Uses = _requirements.Select(requirement => requirement.Member).OfType<string>().Concat(_uses).Distinct().ToArray(),
            ProceedAfterFailure = _proceed,
            AssuredAfterFailure = _assured,
            Unlisted = _unlisted,
            Body = bodies.Length == 0 ? null : async token =>
            {
                foreach (var body in bodies)
                    await body(token);
            },
        };
    }

    private TargetDefinition AddEdges(EdgeKind kind, Target[] targets)
    {
        _edges.Add((kind, targets, null));
        _lastCallDeclaredEdges = true;
        return this;
    }

    private TargetDefinition Set(Action change)
    {
        change();
        _lastCallDeclaredEdges = false;
        return this;
    }

    private static bool IsPresent(object? value) => value switch
    {
        null => false,
        string text => !string.IsNullOrWhiteSpace(text),
        System.Collections.ICollection collection => collection.Count > 0,
        _ => true,
    };

    // "() => Registry" or "() => Rows > 0" → the first identifier, used to name the parameter in errors.
    private static string? MemberOf(string? text)
    {
        var match = FirstIdentifier().Match(Condition.Describe(text));
        return match.Success ? match.Value : null;
    }

    [GeneratedRegex(@"(?<![.\w])[A-Za-z_]\w*")]
    private static partial Regex FirstIdentifier();
}
