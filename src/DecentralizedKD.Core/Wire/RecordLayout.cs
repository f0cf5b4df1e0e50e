namespace DecentralizedKD.Core.Wire;

/// <summary>The start of a record's field list: no fields yet.</summary>
public readonly struct NoFields;

/// <summary>
/// A record's fields in wire order, being declared: each <see cref="Field{TField}"/> names how to get a value from the
/// record and its format. The values read back are collected as nested value tuples (<typeparamref name="TFields"/>:
/// <c>((NoFields, A), B)</c> for fields A, B) and handed to the constructor given to <c>Build</c>
/// (<see cref="RecordLayouts"/>), so a record is written and read field by field with no reflection and no allocation
/// beyond the record itself. A record's minimum size is the sum of its fields'.
/// </summary>
public sealed class RecordLayout<T, TFields>
{
    internal static RecordLayout<T, NoFields> Empty { get; } = new(new NoFieldList<T>());

    internal RecordLayout(FieldList<T, TFields> fields) => Fields = fields;

    internal FieldList<T, TFields> Fields { get; }

    /// <summary>The next field on the wire: <paramref name="get"/> reads it from the record, <paramref name="format"/> encodes it.</summary>
    public RecordLayout<T, (TFields, TField)> Field<TField>(Func<T, TField> get, WireFormat<TField> format) =>
        new(new FieldLink<T, TFields, TField>(Fields, get, format));

    internal WireFormat<T> Build(Func<TFields, T> make) => new RecordFormat<T, TFields>(Fields, make);
}

internal abstract class FieldList<T, TFields>
{
    public abstract int MinSize { get; }
    public abstract void Write(ref WireWriter w, T record);
    public abstract TFields Read(ref WireReader r);
}

internal sealed class NoFieldList<T> : FieldList<T, NoFields>
{
    public override int MinSize => 0;
    public override void Write(ref WireWriter w, T record) { }
    public override NoFields Read(ref WireReader r) => default;
}

/// <summary>The fields before, then one more: written and read in that order.</summary>
internal sealed class FieldLink<T, TBefore, TField>(FieldList<T, TBefore> before, Func<T, TField> get, WireFormat<TField> format)
    : FieldList<T, (TBefore, TField)>
{
    private readonly int _minSize = checked(before.MinSize + format.MinSize);

    public override int MinSize => _minSize;

    public override void Write(ref WireWriter w, T record)
    {
        before.Write(ref w, record);
        format.Write(ref w, get(record));
    }

    public override (TBefore, TField) Read(ref WireReader r)
    {
        var earlier = before.Read(ref r);
        return (earlier, format.Read(ref r));
    }
}

internal sealed class RecordFormat<T, TFields>(FieldList<T, TFields> fields, Func<TFields, T> make) : WireFormat<T>
{
    public override int MinSize => fields.MinSize;
    public override void Write(ref WireWriter w, T value) => fields.Write(ref w, value);
    public override T Read(ref WireReader r) => make(fields.Read(ref r));
}

/// <summary>
/// <c>Build</c> ends a record's layout with the constructor that takes its fields, in wire order, back to a record:
/// one overload per number of fields (the lambda's parameters are typed by the declared fields).
/// </summary>
public static class RecordLayouts
{
    public static WireFormat<T> Build<T>(this RecordLayout<T, NoFields> layout, Func<T> make) => layout.Build(_ => make());

    public static WireFormat<T> Build<T, A>(this RecordLayout<T, (NoFields, A)> layout, Func<A, T> make) =>
        layout.Build(f => make(f.Item2));

    public static WireFormat<T> Build<T, A, B>(this RecordLayout<T, ((NoFields, A), B)> layout, Func<A, B, T> make) =>
        layout.Build(f => make(f.Item1.Item2, f.Item2));

    public static WireFormat<T> Build<T, A, B, C>(this RecordLayout<T, (((NoFields, A), B), C)> layout, Func<A, B, C, T> make) =>
        layout.Build(f => make(f.Item1.Item1.Item2, f.Item1.Item2, f.Item2));

    public static WireFormat<T> Build<T, A, B, C, D>(this RecordLayout<T, ((((NoFields, A), B), C), D)> layout, Func<A, B, C, D, T> make) =>
        layout.Build(f => make(f.Item1.Item1.Item1.Item2, f.Item1.Item1.Item2, f.Item1.Item2, f.Item2));

    public static WireFormat<T> Build<T, A, B, C, D, E>(
        this RecordLayout<T, (((((NoFields, A), B), C), D), E)> layout, Func<A, B, C, D, E, T> make) =>
        layout.Build(f => make(f.Item1.Item1.Item1.Item1.Item2, f.Item1.Item1.Item1.Item2, f.Item1.Item1.Item2, f.Item1.Item2, f.Item2));

    public static WireFormat<T> Build<T, A, B, C, D, E, F>(
        this RecordLayout<T, ((((((NoFields, A), B), C), D), E), F)> layout, Func<A, B, C, D, E, F, T> make) =>
        layout.Build(f => make(
            f.Item1.Item1.Item1.Item1.Item1.Item2,
            f.Item1.Item1.Item1.Item1.Item2,
            f.Item1.Item1.Item1.Item2,
            f.Item1.Item1.Item2,
            f.Item1.Item2,
            f.Item2));

    public static WireFormat<T> Build<T, A, B, C, D, E, F, G>(
        this RecordLayout<T, (((((((NoFields, A), B), C), D), E), F), G)> layout, Func<A, B, C, D, E, F, G, T> make) =>
        layout.Build(f => make(
            f.Item1.Item1.Item1.Item1.Item1.Item1.Item2,
            f.Item1.Item1.Item1.Item1.Item1.Item2,
            f.Item1.Item1.Item1.Item1.Item2,
            f.Item1.Item1.Item1.Item2,
            f.Item1.Item1.Item2,
            f.Item1.Item2,
            f.Item2));

    public static WireFormat<T> Build<T, A, B, C, D, E, F, G, H>(
        this RecordLayout<T, ((((((((NoFields, A), B), C), D), E), F), G), H)> layout, Func<A, B, C, D, E, F, G, H, T> make) =>
        layout.Build(f => make(
            f.Item1.Item1.Item1.Item1.Item1.Item1.Item1.Item2,
            f.Item1.Item1.Item1.Item1.Item1.Item1.Item2,
            f.Item1.Item1.Item1.Item1.Item1.Item2,
            f.Item1.Item1.Item1.Item1.Item2,
            f.Item1.Item1.Item1.Item2,
            f.Item1.Item1.Item2,
            f.Item1.Item2,
            f.Item2));

    public static WireFormat<T> Build<T, A, B, C, D, E, F, G, H, I>(
        this RecordLayout<T, (((((((((NoFields, A), B), C), D), E), F), G), H), I)> layout, Func<A, B, C, D, E, F, G, H, I, T> make) =>
        layout.Build(f => make(
            f.Item1.Item1.Item1.Item1.Item1.Item1.Item1.Item1.Item2,
            f.Item1.Item1.Item1.Item1.Item1.Item1.Item1.Item2,
            f.Item1.Item1.Item1.Item1.Item1.Item1.Item2,
            f.Item1.Item1.Item1.Item1.Item1.Item2,
            f.Item1.Item1.Item1.Item1.Item2,
            f.Item1.Item1.Item1.Item2,
            f.Item1.Item1.Item2,
            f.Item1.Item2,
            f.Item2));

    public static WireFormat<T> Build<T, A, B, C, D, E, F, G, H, I, J>(
        this RecordLayout<T, ((((((((((NoFields, A), B), C), D), E), F), G), H), I), J)> layout, Func<A, B, C, D, E, F, G, H, I, J, T> make) =>
        layout.Build(f => make(
            f.Item1.Item1.Item1.Item1.Item1.Item1.Item1.Item1.Item1.Item2,
            f.Item1.Item1.Item1.Item1.Item1.Item1.Item1.Item1.Item2,
            f.Item1.Item1.Item1.Item1.Item1.Item1.Item1.Item2,
            f.Item1.Item1.Item1.Item1.Item1.Item1.Item2,
            f.Item1.Item1.Item1.Item1.Item1.Item2,
            f.Item1.Item1.Item1.Item1.Item2,
            f.Item1.Item1.Item1.Item2,
            f.Item1.Item1.Item2,
            f.Item1.Item2,
            f.Item2));
}
