namespace Bun.Pipeline.Targets;

/// <summary>A predicate plus the source text it was written as, so that skip reasons read like the build class.</summary>
public sealed record Condition(Func<bool> Evaluate, string Text)
{
    public static Condition From(Func<bool> evaluate, string? expression) => new(evaluate, Describe(expression));

    public static string Describe(string? expression)
    {
        var text = (expression ?? "condition").Trim();
        return text.StartsWith("() =>", StringComparison.Ordinal) ? text[5..].Trim() : text;
    }
}
