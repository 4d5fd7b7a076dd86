using System.Collections;

namespace Bun.Pipeline.Targets;

/// <summary>A list built the first time it is read: a target's needs are read when they are checked, not when the target is declared.</summary>
internal sealed class DeferredList<T>(Func<IReadOnlyList<T>> build) : IReadOnlyList<T>
{
    private readonly Lazy<IReadOnlyList<T>> _items = new(build);

    public int Count => _items.Value.Count;
    public T this[int index] => _items.Value[index];
    public IEnumerator<T> GetEnumerator() => _items.Value.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
