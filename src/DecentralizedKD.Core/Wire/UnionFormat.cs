using System.Runtime.Serialization;

namespace DecentralizedKD.Core.Wire;

/// <summary>
/// A closed family of records behind the base type <typeparamref name="T"/>: an int32 tag, then the case's own layout.
/// Cases are matched by exact runtime type when written and by tag when read; a type or tag without a case is a
/// <see cref="SerializationException"/>. The minimum size is the tag plus the smallest case.
/// Tags are on the wire: never reuse one for a different layout.
/// </summary>
public sealed class UnionFormat<T> : WireFormat<T> where T : class
{
    private readonly string _name;
    private readonly UnionCase[] _cases;

    internal UnionFormat(string name, UnionCase[] cases)
    {
        _name = name;
        _cases = cases;
        MinSize = sizeof(int) + (cases.Length == 0 ? 0 : cases.Min(c => c.MinSize));
    }

    public override int MinSize { get; }

    /// <summary>This family with one more case: <paramref name="tag"/> on the wire, then <paramref name="format"/>.</summary>
    public UnionFormat<T> Case<TCase>(int tag, WireFormat<TCase> format) where TCase : class, T
    {
        if (_cases.Any(c => c.Tag == tag)) throw new ArgumentException($"{_name} tag {tag} is already taken", nameof(tag));
        if (_cases.Any(c => c.Type == typeof(TCase))) throw new ArgumentException($"{_name} {typeof(TCase).Name} already has a case", nameof(format));
        return new UnionFormat<T>(_name, [.. _cases, new UnionCase<TCase>(tag, format)]);
    }

    public override void Write(ref WireWriter w, T value)
    {
        var type = value.GetType();
        foreach (var c in _cases)
        {
            if (c.Type != type) continue;
            w.Int32(c.Tag);
            c.Write(ref w, value);
            return;
        }
        throw new SerializationException($"the wire serializer has no layout for {_name} {type.Name}");
    }

    public override T Read(ref WireReader r)
    {
        int tag = r.Int32();
        foreach (var c in _cases)
            if (c.Tag == tag) return c.Read(ref r);
        throw new SerializationException($"wire message: unknown {_name} tag {tag}");
    }

    internal abstract class UnionCase(int tag, Type type, int minSize)
    {
        public int Tag => tag;
        public Type Type => type;
        public int MinSize => minSize;
        public abstract void Write(ref WireWriter w, T value);
        public abstract T Read(ref WireReader r);
    }

    private sealed class UnionCase<TCase>(int tag, WireFormat<TCase> format) : UnionCase(tag, typeof(TCase), format.MinSize) where TCase : class, T
    {
        public override void Write(ref WireWriter w, T value) => format.Write(ref w, (TCase)value);
        public override T Read(ref WireReader r) => format.Read(ref r);
    }
}
