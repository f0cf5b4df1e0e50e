using DecentralizedKD.Core.Wire;

namespace DecentralizedKD.Hosting.Wire;

public delegate void WireWrite<in T>(ref WireWriter w, T message);

public delegate T WireRead<out T>(ref WireReader r);

/// <summary>The layout of one message type: its manifest and how to write/read its fields.</summary>
public abstract class MessageCodec
{
    public abstract Type Type { get; }
    public abstract string Manifest { get; }
    public abstract void Write(ref WireWriter w, object message);
    public abstract object Read(ref WireReader r);
}

public sealed class MessageCodec<T>(string manifest, WireWrite<T> write, WireRead<T> read) : MessageCodec where T : notnull
{
    public override Type Type => typeof(T);
    public override string Manifest => manifest;
    public override void Write(ref WireWriter w, object message) => write(ref w, (T)message);
    public override object Read(ref WireReader r) => read(ref r);
}
