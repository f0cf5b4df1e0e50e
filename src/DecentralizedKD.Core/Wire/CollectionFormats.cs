using System.Runtime.Serialization;

namespace DecentralizedKD.Core.Wire;

// The collection combinators of WireFormats. Each reads its count with WireReader.SequenceCount(element MinSize), so a
// count the frame cannot hold is refused before the collection is allocated.

internal static class SequenceBound
{
    /// <summary>The bytes each element of a sequence takes at least; zero would let any count pass the check against the frame.</summary>
    public static int Of(int elementMinSize) => elementMinSize > 0 ? elementMinSize
        : throw new ArgumentException("a sequence of elements that can take no bytes cannot be bounded by its frame; give the elements a field");
}

internal sealed class ArrayFormat<TElement>(WireFormat<TElement> element) : WireFormat<TElement[]>
{
    private readonly WireFormat<TElement> _element = element;
    private readonly int _elementSize = SequenceBound.Of(element.MinSize);

    public override int MinSize => sizeof(int);

    public override void Write(ref WireWriter w, TElement[] value)
    {
        w.Int32(value.Length);
        foreach (var item in value) _element.Write(ref w, item);
    }

    public override TElement[] Read(ref WireReader r)
    {
        var items = new TElement[r.SequenceCount(_elementSize)];
        for (int k = 0; k < items.Length; k++) items[k] = _element.Read(ref r);
        return items;
    }
}

internal sealed class MapFormat<TKey, TValue>(WireFormat<TKey> key, WireFormat<TValue> value, IComparer<TKey> order, IEqualityComparer<TKey>? equality)
    : WireFormat<IReadOnlyDictionary<TKey, TValue>> where TKey : notnull
{
    private readonly int _entrySize = SequenceBound.Of(key.MinSize + value.MinSize);

    public override int MinSize => sizeof(int);

    public override void Write(ref WireWriter w, IReadOnlyDictionary<TKey, TValue> map)
    {
        w.Int32(map.Count);
        foreach (var (k, v) in map.OrderBy(kv => kv.Key, order))
        {
            key.Write(ref w, k);
            value.Write(ref w, v);
        }
    }

    /// <summary>A key repeated in a frame keeps its last value (a writer never repeats one).</summary>
    public override IReadOnlyDictionary<TKey, TValue> Read(ref WireReader r)
    {
        int n = r.SequenceCount(_entrySize);
        var map = new Dictionary<TKey, TValue>(n, equality);
        for (int k = 0; k < n; k++)
        {
            var entryKey = key.Read(ref r);
            map[entryKey] = value.Read(ref r);
        }
        return map;
    }
}

internal sealed class PairsFormat<TFirst, TSecond>(WireFormat<TFirst> first, WireFormat<TSecond> second) : WireFormat<(TFirst[] First, TSecond[] Second)>
{
    private readonly int _pairSize = SequenceBound.Of(first.MinSize + second.MinSize);

    public override int MinSize => sizeof(int);

    public override void Write(ref WireWriter w, (TFirst[] First, TSecond[] Second) value)
    {
        if (value.First.Length != value.Second.Length)
            throw new SerializationException($"paired arrays of {value.First.Length} and {value.Second.Length} elements cannot be written as pairs");
        w.Int32(value.First.Length);
        for (int k = 0; k < value.First.Length; k++)
        {
            first.Write(ref w, value.First[k]);
            second.Write(ref w, value.Second[k]);
        }
    }

    public override (TFirst[] First, TSecond[] Second) Read(ref WireReader r)
    {
        int n = r.SequenceCount(_pairSize);
        var a = new TFirst[n];
        var b = new TSecond[n];
        for (int k = 0; k < n; k++)
        {
            a[k] = first.Read(ref r);
            b[k] = second.Read(ref r);
        }
        return (a, b);
    }
}
