using System.Runtime.Serialization;
using DecentralizedKD.Core.Algorithms;
using DecentralizedKD.Core.Wire;
using DecentralizedKD.Hosting.Wire;
using Xunit;
using DecentralizedKD.Core.Algorithms.Registry;

namespace DecentralizedKD.Hosting.Tests.Wire;

public sealed class PayloadCodecTests
{
    private static readonly float[] Awkward = [1f, -2.5f, float.NaN, -0f, float.Epsilon, float.MaxValue, float.NegativeInfinity];

    private sealed record UnknownPayload(int Round, int Sender) : Payload(Round, Sender)
    {
        public override string Kind => "unknown";
        public override long Bytes => 0;
    }

    [Fact]
    public void Every_registered_payload_kind_round_trips_with_round_sender_and_phase()
    {
        WireRoundTrip.AssertPayload(new ParameterPayload(7, 3, Awkward));
        WireRoundTrip.AssertPayload(new ParameterPayload(0, 0, []));
        WireRoundTrip.AssertPayload(new FeatureSumsPayload(12, 5, Awkward, [3f, 0f]) { Phase = 1 });
        WireRoundTrip.AssertPayload(new ParameterPayload(int.MaxValue, 99_999, [0.5f]) { Phase = 2 });
        WireRoundTrip.AssertPayload(new LogitsPayload(4, 2, 2, 3, 2, [.. Awkward, 7f, 8f, 9f, 10f, 11f]));
        WireRoundTrip.AssertPayload(new GradientPayload(9, 16, Awkward) { Phase = 3 });
        foreach (string compressor in DecentralizedKD.Core.Compression.CompressorRegistry.Names)
            WireRoundTrip.AssertPayload(DecentralizedKD.Core.Compression.CompressorRegistry
                .Create(compressor, new DecentralizedKD.Core.Compression.CompressorSettings(0.3, 5, 1))
                .Compress(Awkward, new DecentralizedKD.Core.Compression.MessageAddress(6, 4, 2)));
        // Every built-in kind has a codec (methods registered by other tests may add theirs).
        Assert.Subset(PayloadCodecRegistry.Default.All.Select(c => c.PayloadType.Name).ToHashSet(),
            new[] { nameof(FeatureSumsPayload), nameof(GradientPayload), nameof(LogitsPayload), nameof(ParameterPayload), nameof(DecentralizedKD.Core.Algorithms.Idkd.SoftLabelPayload) }.ToHashSet());
    }

    [Fact]
    public void Soft_label_lists_round_trip_ids_values_and_class_count()
    {
        var labels = new DecentralizedKD.Core.Algorithms.Idkd.SoftLabels([2, 5, 11], [0.1f, 0.9f, 1f, 0f, float.Epsilon, -0f], 2);
        var payload = new DecentralizedKD.Core.Algorithms.Idkd.SoftLabelPayload(8, 1, labels) { Phase = 1 };
        var measure = WireWriter.Measure();
        PayloadCodecRegistry.Default.Write(ref measure, payload);
        var bytes = new byte[measure.Position];
        var w = new WireWriter(bytes);
        PayloadCodecRegistry.Default.Write(ref w, payload);
        var r = new WireReader(bytes);
        var back = (DecentralizedKD.Core.Algorithms.Idkd.SoftLabelPayload)PayloadCodecRegistry.Default.Read(ref r);
        r.End();
        Assert.Equal((8, 1, 1, 2), (back.Round, back.Sender, back.Phase, back.Labels.Classes));
        Assert.Equal(labels.PoolIds.ToArray(), back.Labels.PoolIds.ToArray());
        Assert.Equal(labels.Values.ToArray().Select(BitConverter.SingleToInt32Bits), back.Labels.Values.ToArray().Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(payload.Bytes, back.Bytes);
    }

    [Fact]
    public void Parameters_are_raw_little_endian_float32_after_a_small_header()
    {
        var codecs = PayloadCodecRegistry.Default;
        var payload = new ParameterPayload(2, 1, [1f, -2.5f]) { Phase = 3 };
        var measure = WireWriter.Measure();
        codecs.Write(ref measure, payload);
        var bytes = new byte[measure.Position];
        var w = new WireWriter(bytes);
        codecs.Write(ref w, payload);
        byte[] expected =
        [
            6, 0, 0, 0, (byte)'p', (byte)'a', (byte)'r', (byte)'a', (byte)'m', (byte)'s',   // tag
            2, 0, 0, 0, 1, 0, 0, 0, 3, 0, 0, 0,                                               // round, sender, phase
            2, 0, 0, 0, 0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x20, 0xC0,                      // 2 floats: 1.0, -2.5
        ];
        Assert.Equal(expected, bytes);
    }

    [Fact]
    public void A_payload_type_without_codec_fails_at_the_sender_naming_the_type()
    {
        var e = Assert.Throws<SerializationException>(() =>
        {
            var w = WireWriter.Measure();
            PayloadCodecRegistry.Default.Write(ref w, new UnknownPayload(1, 2));
        });
        Assert.Contains("UnknownPayload", e.Message);
    }

    [Fact]
    public void A_truncated_payload_is_a_serialization_error_not_garbage()
    {
        var payload = new ParameterPayload(2, 1, [1f, 2f, 3f]);
        var measure = WireWriter.Measure();
        PayloadCodecRegistry.Default.Write(ref measure, payload);
        var bytes = new byte[measure.Position];
        var w = new WireWriter(bytes);
        PayloadCodecRegistry.Default.Write(ref w, payload);
        var cut = bytes[..^5];
        Assert.Throws<SerializationException>(() =>
        {
            var r = new WireReader(cut);
            PayloadCodecRegistry.Default.Read(ref r);
        });
    }

    [Fact]
    public void The_same_codec_twice_is_shared_but_a_second_layout_for_a_type_or_tag_is_refused()
    {
        var codecs = new PayloadCodecRegistry().AddAll([ParameterPayloadCodec.Instance]);
        codecs.AddAll([ParameterPayloadCodec.Instance]); // two methods sending parameters
        Assert.Single(codecs.All);
        Assert.Throws<ArgumentException>(() => codecs.AddAll([new OtherParameterLayout()]));
        Assert.Throws<ArgumentException>(() => codecs.AddAll([new TagThief()]));
    }

    private sealed class OtherParameterLayout : PayloadCodec<ParameterPayload>
    {
        public override string Tag => "params-v2";
        protected override void Write(ref WireWriter w, ParameterPayload p) => w.Floats(p.Parameters);
        protected override ParameterPayload Read(ref WireReader r, int round, int sender) => new(round, sender, r.Floats());
    }

    private sealed class TagThief : PayloadCodec<GradientPayload>
    {
        public override string Tag => "params";
        protected override void Write(ref WireWriter w, GradientPayload p) => w.Floats(p.Gradient);
        protected override GradientPayload Read(ref WireReader r, int round, int sender) => new(round, sender, r.Floats());
    }
}
