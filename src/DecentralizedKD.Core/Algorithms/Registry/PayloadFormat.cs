using DecentralizedKD.Core.Wire;

namespace DecentralizedKD.Core.Algorithms.Registry;

/// <summary>A payload as a field of a wire message: its tag, common fields and body through <paramref name="registry"/>.</summary>
public sealed class PayloadFormat(PayloadCodecRegistry registry) : WireFormat<Payload>
{
    /// <summary>The tag (a string) and Round, Sender, Phase; a body may be empty.</summary>
    public override int MinSize { get; } = WireFormats.RequiredString.MinSize + 3 * WireFormats.Int.MinSize;

    public override void Write(ref WireWriter w, Payload value) => registry.Write(ref w, value);

    public override Payload Read(ref WireReader r) => registry.Read(ref r);
}
