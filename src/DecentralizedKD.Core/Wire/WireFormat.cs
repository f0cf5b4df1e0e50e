namespace DecentralizedKD.Core.Wire;

public delegate void WireWrite<in T>(ref WireWriter w, T value);

public delegate T WireRead<out T>(ref WireReader r);

/// <summary>
/// How one value of type <typeparamref name="T"/> is written and read, and the fewest bytes any value of it takes.
/// Formats compose (<see cref="WireFormats"/>: records of fields, arrays, maps, tagged unions), so a message's layout
/// is declared once and its encoder, decoder and minimum size all follow from that one declaration.
/// <see cref="MinSize"/> is what keeps decoding safe on hostile frames: a sequence of n values is accepted only when
/// n × MinSize bytes are left in the frame, before anything is allocated.
/// </summary>
public abstract class WireFormat<T>
{
    /// <summary>The fewest bytes any value takes on the wire (a lower bound: never more than a real value's size).</summary>
    public abstract int MinSize { get; }

    public abstract void Write(ref WireWriter w, T value);

    public abstract T Read(ref WireReader r);

    /// <summary>
    /// The same bytes read as another type: <paramref name="fromWire"/> after reading, <paramref name="toWire"/> before
    /// writing (an enum as its int, an actor reference as its path).
    /// </summary>
    public WireFormat<TValue> Converted<TValue>(Func<T, TValue> fromWire, Func<TValue, T> toWire) =>
        new ConvertedFormat<T, TValue>(this, fromWire, toWire);
}

/// <summary>A format made of a writer and a reader of a fixed minimum size (the primitives of <see cref="WireFormats"/>).</summary>
internal sealed class PrimitiveFormat<T>(int minSize, WireWrite<T> write, WireRead<T> read) : WireFormat<T>
{
    public override int MinSize => minSize;
    public override void Write(ref WireWriter w, T value) => write(ref w, value);
    public override T Read(ref WireReader r) => read(ref r);
}

internal sealed class ConvertedFormat<TWire, TValue>(WireFormat<TWire> wire, Func<TWire, TValue> fromWire, Func<TValue, TWire> toWire)
    : WireFormat<TValue>
{
    public override int MinSize => wire.MinSize;
    public override void Write(ref WireWriter w, TValue value) => wire.Write(ref w, toWire(value));
    public override TValue Read(ref WireReader r) => fromWire(wire.Read(ref r));
}
