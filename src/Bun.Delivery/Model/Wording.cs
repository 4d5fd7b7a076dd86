namespace Bun.Delivery.Model;

/// <summary>Lists in messages and descriptions, written the way a person would.</summary>
internal static class Wording
{
    /// <summary>"a", "a or b", "a, b or c".</summary>
    public static string OneOf(IEnumerable<string> items)
    {
        var list = items.ToList();
        return list.Count < 2 ? string.Concat(list) : $"{string.Join(", ", list[..^1])} or {list[^1]}";
    }
}
