using DecentralizedKD.Core.Algorithms;
using DecentralizedKD.Core.Algorithms.Registry;
using DecentralizedKD.Core.Compression;
using DecentralizedKD.Core.Randomness;
using DecentralizedKD.Core.Wire;
using Xunit;

namespace DecentralizedKD.Core.Tests.Compression;

/// <summary>CHOCO's per-tensor compression (<c>scope = tensor</c>): k, norm and scale per tensor, exact bytes, wire and checkpoint form.</summary>
public sealed class PerTensorCompressorTests
{
    private const ulong Seed = 5;

    private static PerTensorCompressor Make(string name, int[] tensors, double ratio = 0.2, int levels = 4) =>
        new(seed => CompressorRegistry.Create(name, new CompressorSettings(ratio, levels, seed)), Seed, tensors);

    private static float[] Contracted(IMessageCompressor c, Payload q, int length)
    {
        var v = new float[length];
        c.AddContracted(q, v);
        return v;
    }

    private static float[] RandomVector(int d, ulong seed)
    {
        var rng = new Rng(seed);
        return Enumerable.Range(0, d).Select(_ => (float)rng.NextNormal()).ToArray();
    }

    [Fact]
    public void Top_k_keeps_the_ceiling_of_ratio_times_each_tensors_length_in_each_tensor()
    {
        // Tensor 0 (10 values) holds every large magnitude: the whole vector's top 3 would all come from it.
        float[] v = [9, -8, 7, 1, 0.5f, 6, -0.1f, 0.2f, 0.3f, 0.4f, /* tensor 1 */ 0.01f, -0.03f, 0.02f];
        var c = Make("top-k", [10, 3]);
        var q = (SegmentedVector)c.Compress(v, new MessageAddress(3, 1));
        Assert.Equal([2, 1], q.Segments.Select(s => s.Parameter));
        Assert.Equal([0, 1], q.Segments[0].Indices);
        Assert.Equal([1], q.Segments[1].Indices);
        Assert.Equal([9f, -8, 0, 0, 0, 0, 0, 0, 0, 0, 0, -0.03f, 0], Contracted(c, q, 13));
        // ⌈0.5·10⌉ = 5 and ⌈0.5·3⌉ = 2; the whole vector would keep ⌈0.2·13⌉ = 3 coordinates, all of them from tensor 0.
        Assert.Equal([5, 2], ((SegmentedVector)Make("top-k", [10, 3], ratio: 0.5).Compress(v, new MessageAddress(0, 0))).Segments.Select(s => s.Parameter));
        var whole = (CompressedVector)new WholeVectorCompressor(CompressorRegistry.Create("top-k", new CompressorSettings(0.2, 4, Seed)), 13).Compress(v, new MessageAddress(0, 0));
        Assert.Equal([0, 1, 2], whole.Indices);
    }

    [Fact]
    public void Qsgd_quantises_each_tensor_against_its_own_norm_and_is_unbiased_per_tensor()
    {
        // Tensor 1 is a thousand times smaller than tensor 0: against one shared norm it would round to 0 nearly always.
        float[] v = [3, -4, 1, 2, /* tensor 1 */ 0.002f, -0.001f, 0.003f, 0.0005f, -0.002f, 0.001f];
        int[] tensors = [4, 6];
        var c = Make("qsgd", tensors, levels: 4);
        var qsgd = new Qsgd(new CompressorSettings(1, 4, 0));
        double[] scale = [1 / (1 + qsgd.VarianceBound(4)), 1 / (1 + qsgd.VarianceBound(6))];
        var sum = new double[v.Length];
        const int Messages = 4000;
        for (int round = 0; round < Messages; round++)
        {
            var q = (SegmentedVector)c.Compress(v, new MessageAddress(round, 2));
            Assert.Equal((float)Math.Sqrt(9 + 16 + 1 + 4), q.Segments[0].Values[0]);
            Assert.Equal((float)Math.Sqrt(v[4..].Sum(x => (double)x * x)), q.Segments[1].Values[0]);
            var decoded = Contracted(c, q, v.Length);
            for (int k = 0; k < v.Length; k++) sum[k] += decoded[k] / scale[k < 4 ? 0 : 1];
        }
        // E[Q_t(v_t)] = v_t; each mean of 4000 draws is within a few standard errors (‖v_t‖/(s·√N) each) of it.
        for (int k = 0; k < v.Length; k++)
        {
            double norm = k < 4 ? Math.Sqrt(30) : Math.Sqrt(v[4..].Sum(x => (double)x * x));
            Assert.InRange(sum[k] / Messages - v[k], -0.03 * norm, 0.03 * norm);
        }
    }

    [Fact]
    public void Sign_scales_each_tensor_by_its_own_mean_magnitude()
    {
        float[] v = [2, -4, /* tensor 1 */ 0.5f, 0.25f, -0.75f];
        var c = Make("sign", [2, 3]);
        var q = (SegmentedVector)c.Compress(v, new MessageAddress(0, 0));
        Assert.Equal([3f, 0.5f], q.Segments.Select(s => s.Values[0]));
        Assert.Equal([3f, -3f, 0.5f, 0.5f, -0.5f], Contracted(c, q, v.Length));
    }

    [Theory]
    [InlineData("none")]
    [InlineData("top-k")]
    [InlineData("random-k")]
    [InlineData("qsgd")]
    [InlineData("sign")]
    public void The_stated_size_is_the_exact_wire_length_and_the_wire_and_checkpoint_forms_round_trip_bit_for_bit(string name)
    {
        int[] tensors = [150, 6, 40, 1, 17];
        var c = Make(name, tensors);
        var v = RandomVector(tensors.Sum(), 3);
        var q = (SegmentedVector)c.Compress(v, new MessageAddress(7, 4, 1));
        byte[] body = PayloadCodecRegistry.Default.Body(q);
        Assert.Equal(c.EncodedBytes, q.Bytes);
        Assert.Equal(q.Bytes, body.Length);
        Assert.Equal(4 + tensors.Sum(d => CompressorRegistry.Create(name, new CompressorSettings(0.2, 4, 0)).EncodedBytes(d)), c.EncodedBytes);
        Assert.Equal("compressed-segments", PayloadCodecRegistry.Default.CodecOf(q).Tag);

        var r = new WireReader(body);
        var back = (SegmentedVector)PayloadCodecRegistry.Default.CodecOf(q).ReadBody(ref r, q.Round, q.Sender) with { Phase = q.Phase };
        r.End();
        Assert.Equal(body, PayloadCodecRegistry.Default.Body(back));
        // The receiver decodes what the sender added to its own copy (random-k draws its coordinates from the exchange too).
        Assert.Equal(Contracted(c, q, v.Length), Contracted(Make(name, tensors), back, v.Length));

        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true)) PayloadState.Write(w, q);
        stream.Position = 0;
        using var reader = new BinaryReader(stream);
        var restored = (SegmentedVector)PayloadState.Read(reader);
        Assert.Equal((q.Round, q.Sender, q.Phase), (restored.Round, restored.Sender, restored.Phase));
        Assert.Equal(body, PayloadCodecRegistry.Default.Body(restored));
    }

    [Fact]
    public void Tensors_draw_from_streams_of_their_own()
    {
        // Two equal tensors of one message: random-k must not pick the same coordinates in both.
        var c = Make("random-k", [64, 64], ratio: 0.25);
        var q = (SegmentedVector)c.Compress(Enumerable.Range(0, 128).Select(i => (float)i).ToArray(), new MessageAddress(1, 0));
        var first = q.Segments[0].Values.Select(x => (int)x).ToArray();
        var second = q.Segments[1].Values.Select(x => (int)x - 64).ToArray();
        Assert.Equal(16, first.Length);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void A_forged_segment_count_or_a_segment_of_another_layout_is_refused()
    {
        var codec = PayloadCodecRegistry.Default.CodecOf("compressed-segments");
        byte[] forged = [0xff, 0xff, 0xff, 0x7f, 1, 2, 3];
        Assert.Throws<System.Runtime.Serialization.SerializationException>(() => { var r = new WireReader(forged); codec.ReadBody(ref r, 0, 0); });
        var q = Make("top-k", [4, 4]).Compress(new float[8], new MessageAddress(0, 0));
        Assert.Throws<InvalidOperationException>(() => Make("top-k", [4, 2, 2]).AddContracted(q, new float[8]));
    }
}
