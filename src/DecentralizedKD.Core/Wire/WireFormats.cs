namespace DecentralizedKD.Core.Wire;

/// <summary>
/// The building blocks of wire layouts: primitives in the encoding of <see cref="WireWriter"/> and the combinators a
/// message is declared with. Meant for <c>using static</c>:
/// <code>
/// Record&lt;StartRound&gt;().Field(m =&gt; m.Round, Int).Build(round =&gt; new StartRound(round))
/// </code>
/// Every count read from the wire is checked against the bytes left (element count × the element format's
/// <see cref="WireFormat{T}.MinSize"/>) before an array or dictionary is allocated.
/// </summary>
public static class WireFormats
{
    public static WireFormat<int> Int { get; } =
        new PrimitiveFormat<int>(sizeof(int), (ref WireWriter w, int v) => w.Int32(v), (ref WireReader r) => r.Int32());

    public static WireFormat<long> Long { get; } =
        new PrimitiveFormat<long>(sizeof(long), (ref WireWriter w, long v) => w.Int64(v), (ref WireReader r) => r.Int64());

    public static WireFormat<double> Float64 { get; } =
        new PrimitiveFormat<double>(sizeof(double), (ref WireWriter w, double v) => w.Double(v), (ref WireReader r) => r.Double());

    /// <summary>An int32 0 or 1; the reader refuses anything else.</summary>
    public static WireFormat<bool> Bool { get; } =
        new PrimitiveFormat<bool>(sizeof(int), (ref WireWriter w, bool v) => w.Bool(v), (ref WireReader r) => r.Bool());

    /// <summary>UTF-8 with an int32 byte count; null is refused when read.</summary>
    public static WireFormat<string> RequiredString { get; } =
        new PrimitiveFormat<string>(sizeof(int), (ref WireWriter w, string v) => w.String(v), (ref WireReader r) => r.RequiredString());

    /// <summary>UTF-8 with an int32 byte count, -1 for null.</summary>
    public static WireFormat<string?> NullableString { get; } =
        new PrimitiveFormat<string?>(sizeof(int), (ref WireWriter w, string? v) => w.String(v), (ref WireReader r) => r.String());

    /// <summary>An int32 count and raw little-endian float32, copied as one block (parameter vectors).</summary>
    public static WireFormat<float[]> Floats { get; } =
        new PrimitiveFormat<float[]>(sizeof(int), (ref WireWriter w, float[] v) => w.Floats(v), (ref WireReader r) => r.Floats());

    /// <summary>An int32 count and raw little-endian int32, copied as one block.</summary>
    public static WireFormat<int[]> Ints { get; } =
        new PrimitiveFormat<int[]>(sizeof(int), (ref WireWriter w, int[] v) => w.Ints(v), (ref WireReader r) => r.Ints());

    /// <summary>An int32 count and the bytes.</summary>
    public static WireFormat<byte[]> Bytes { get; } =
        new PrimitiveFormat<byte[]>(sizeof(int), (ref WireWriter w, byte[] v) => w.Bytes(v), (ref WireReader r) => r.Bytes());

    /// <summary>An int32 count, then each element in <paramref name="element"/>'s format (for int and float arrays use <see cref="Ints"/> and <see cref="Floats"/>).</summary>
    public static WireFormat<TElement[]> ArrayOf<TElement>(WireFormat<TElement> element) => new ArrayFormat<TElement>(element);

    /// <summary>
    /// An int32 count, then key and value of each entry, in <paramref name="order"/> of the keys so that equal maps are
    /// equal bytes. Read into a <see cref="Dictionary{TKey,TValue}"/> with <paramref name="equality"/>.
    /// </summary>
    public static WireFormat<IReadOnlyDictionary<TKey, TValue>> MapOf<TKey, TValue>(WireFormat<TKey> key, WireFormat<TValue> value,
        IComparer<TKey> order, IEqualityComparer<TKey>? equality = null) where TKey : notnull =>
        new MapFormat<TKey, TValue>(key, value, order, equality);

    /// <summary>Two arrays of one length, as an int32 count and then the pairs (first[k], second[k]) in order.</summary>
    public static WireFormat<(TFirst[] First, TSecond[] Second)> PairsOf<TFirst, TSecond>(WireFormat<TFirst> first, WireFormat<TSecond> second) =>
        new PairsFormat<TFirst, TSecond>(first, second);

    /// <summary>
    /// Starts the layout of a record: its fields in wire order (<see cref="RecordLayout{T,TFields}.Field{TField}"/>),
    /// then <c>Build</c> with the constructor that takes them back (<see cref="RecordLayouts"/>).
    /// </summary>
    public static RecordLayout<T, NoFields> Record<T>() => RecordLayout<T, NoFields>.Empty;

    /// <summary>
    /// A closed family of records behind one base type, each case an int32 tag and then its own layout
    /// (<see cref="UnionFormat{T}.Case{TCase}"/>). <paramref name="name"/> names the family in errors.
    /// </summary>
    public static UnionFormat<T> Union<T>(string name) where T : class => new(name, []);
}
