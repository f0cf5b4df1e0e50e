using DecentralizedKD.Core.Algorithms;
using DecentralizedKD.Core.Algorithms.Idkd;
using DecentralizedKD.Core.Algorithms.Registry;
using Xunit;
using DecentralizedKD.Core.Wire;

namespace DecentralizedKD.Core.Tests.Checkpoint;

/// <summary>Messages in flight survive an asynchronous checkpoint bit for bit, whatever their kind.</summary>
public sealed class PayloadStateTests
{
    private static Payload RoundTrip(Payload p)
    {
        var buffer = new MemoryStream();
        using (var w = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true)) PayloadState.Write(w, p);
        buffer.Position = 0;
        using var r = new BinaryReader(buffer);
        var back = PayloadState.Read(r);
        Assert.Equal(buffer.Length, buffer.Position);
        return back;
    }

    public static TheoryData<Payload> Payloads() =>
    [
        new ParameterPayload(7, 2, [1.5f, float.NaN, -0f]),
        new FeatureSumsPayload(3, 1, [1, 2, 3, 4], [5, 6]) { Phase = 1 },
        new GradientPayload(4, 0, [float.Epsilon, 2]),
        new LogitsPayload(9, 3, 2, 1, 3, [1, 2, 3, 4, 5, 6]),
        new SoftLabelPayload(5, 4, new SoftLabels([2, 8], [0.25f, 0.75f, 1, 0], 2)),
    ];

    [Theory]
    [MemberData(nameof(Payloads))]
    public void Every_payload_kind_round_trips_exactly(Payload payload)
    {
        var back = RoundTrip(payload);
        Assert.Equal(payload.GetType(), back.GetType());
        Assert.Equal((payload.Round, payload.Sender, payload.Phase, payload.Kind, payload.Bytes), (back.Round, back.Sender, back.Phase, back.Kind, back.Bytes));
        float[] Data(Payload p) => p switch
        {
            ParameterPayload x => x.Parameters,
            FeatureSumsPayload x => [.. x.Sums, .. x.Counts],
            GradientPayload x => x.Gradient,
            LogitsPayload x => x.Logits,
            SoftLabelPayload x => [.. x.Labels.PoolIds.ToArray().Select(i => (float)i), .. x.Labels.Values.ToArray()],
            _ => throw new InvalidOperationException(),
        };
        Assert.Equal(Data(payload).Select(BitConverter.SingleToInt32Bits), Data(back).Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void A_corrupt_length_is_refused_without_allocating_it()
    {
        var buffer = new MemoryStream();
        using (var w = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            w.Write(ParameterPayloadCodec.Instance.Tag);
            w.Write(1); w.Write(0); w.Write(0);
            w.Write(int.MaxValue); // body length
        }
        buffer.Position = 0;
        var e = Assert.Throws<InvalidDataException>(() => PayloadState.Read(new BinaryReader(buffer)));
        Assert.Contains("left in the file", e.Message);
    }
}
