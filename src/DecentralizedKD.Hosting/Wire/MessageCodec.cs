using DecentralizedKD.Core.Wire;

namespace DecentralizedKD.Hosting.Wire;

/// <summary>One message type on the wire: its manifest and its declared layout.</summary>
public abstract class MessageCodec
{
    public abstract Type Type { get; }
    public abstract string Manifest { get; }

    /// <summary>The fewest bytes a message of this type takes (derived from its declaration).</summary>
    public abstract int MinSize { get; }

    public abstract void Write(ref WireWriter w, object message);
    public abstract object Read(ref WireReader r);
}

public sealed class MessageCodec<T>(string manifest, WireFormat<T> format) : MessageCodec where T : notnull
{
    public override Type Type => typeof(T);
    public override string Manifest => manifest;
    public override int MinSize => format.MinSize;
    public override void Write(ref WireWriter w, object message) => format.Write(ref w, (T)message);
    public override object Read(ref WireReader r) => format.Read(ref r);
}
