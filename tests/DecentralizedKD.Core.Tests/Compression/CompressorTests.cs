using System.Runtime.Serialization;
using DecentralizedKD.Core.Algorithms;
using DecentralizedKD.Core.Compression;
using DecentralizedKD.Core.Randomness;
using DecentralizedKD.Core.Wire;
using Xunit;
using DecentralizedKD.Core.Algorithms.Registry;

namespace DecentralizedKD.Core.Tests.Compression;

public sealed class CompressorTests
{
    private const ulong Seed = 11;

    private static ICompressor Make(string name, double ratio = 0.25, int levels = 4, ulong seed = Seed) =>
        CompressorRegistry.Create(name, new CompressorSettings(ratio, levels, seed));

    private static float[] RandomVector(int d, ulong seed)
    {
        var rng = new Rng(seed);
        return Enumerable.Range(0, d).Select(_ => (float)rng.NextNormal()).ToArray();
    }

    private static float[] Decoded(ICompressor c, CompressedVector q)
    {
        var v = new float[q.Length];
        c.AddDecoded(q, v, 1f);
        return v;
    }

    /// <summary>The payload through its codec alone, as it crosses hosts and goes into checkpoint files.</summary>
    private static CompressedVector ThroughWire(CompressedVector q)
    {
        var body = PayloadCodecRegistry.Default.Body(q);
        var r = new WireReader(body);
        var back = (CompressedVector)PayloadCodecRegistry.Default.CodecOf(q).ReadBody(ref r, q.Round, q.Sender);
        r.End();
        return back with { Phase = q.Phase };
    }

    [Theory]
    [InlineData(0.3, 10, 3)]          // ⌈0.30000000000000004·10⌉ would be 4 in binary floating point
    [InlineData(0.01, 61_706, 618)]   // LeNet-5 at 1%: ⌈617.06⌉
    [InlineData(0.1, 61_706, 6_171)]
    [InlineData(1e-9, 100, 1)]        // at least one coordinate
    [InlineData(1.0, 7, 7)]
    public void K_is_the_ceiling_of_ratio_times_d(double ratio, int d, int k) =>
        Assert.Equal(k, new CompressorSettings(ratio, 1, 0).CountOf(d));

    [Fact]
    public void Top_k_keeps_the_largest_magnitudes_and_breaks_ties_towards_lower_coordinates()
    {
        var topK = (ISparseCompressor)Make("top-k", ratio: 0.4);   // k = ⌈2.8⌉ = 3
        var q = topK.Compress([0.5f, -3f, 2f, -2f, 2f, 0f, 1f], new MessageAddress(4, 2));
        // |−3| first; three coordinates tie at 2 for the other two places: 2 and 3 win over 4.
        Assert.Equal([1, 2, 3], q.Indices);
        Assert.Equal([-3f, 2f, -2f], q.Values);
        Assert.Equal([0f, -3f, 2f, -2f, 0f, 0f, 0f], Decoded(topK, q));
    }

    [Fact]
    public void Top_k_equals_a_full_sort_by_magnitude_then_coordinate_and_sends_a_nan()
    {
        var v = RandomVector(1000, 3);
        for (int i = 0; i < 1000; i += 7) v[i] = MathF.Round(v[i]);   // many exact ties
        v[500] = float.NaN;
        var topK = (ISparseCompressor)Make("top-k", ratio: 0.1);
        var chosen = topK.Choose(v, new MessageAddress(0, 0));
        var expected = Enumerable.Range(0, 1000)
            .OrderByDescending(i => float.IsNaN(v[i]) ? float.PositiveInfinity : Math.Abs(v[i])).ThenBy(i => i)
            .Take(100).Order().ToArray();
        Assert.Equal(expected, chosen);
        Assert.Contains(500, chosen);
    }

    [Fact]
    public void Random_k_coordinates_are_regenerated_identically_at_the_receiver_and_differ_between_messages()
    {
        var v = RandomVector(500, 5);
        var sender = (ISparseCompressor)Make("random-k", ratio: 0.1);
        var receiver = (ISparseCompressor)Make("random-k", ratio: 0.1);   // another agent's instance, same experiment seed
        var at = new MessageAddress(17, 3, 0);
        var chosen = sender.Choose(v, at);
        var q = ThroughWire(sender.Carry(chosen, v, at));
        Assert.Empty(q.Indices);                                   // only values travel
        Assert.Equal(chosen, receiver.Coordinates(q));
        Assert.Equal(50, chosen.Distinct().Count());
        Assert.Equal(chosen.Order(), chosen);
        Assert.Equal(chosen.Select(i => v[i]), q.Values);
        var decoded = Decoded(receiver, q);
        for (int i = 0; i < 500; i++) Assert.Equal(chosen.Contains(i) ? v[i] : 0f, decoded[i]);

        Assert.NotEqual(chosen, sender.Choose(v, at with { Round = 18 }));
        Assert.NotEqual(chosen, sender.Choose(v, at with { Sender = 4 }));
        Assert.NotEqual(chosen, sender.Choose(v, at with { Exchange = 1 }));
        Assert.NotEqual(chosen, ((ISparseCompressor)Make("random-k", ratio: 0.1, seed: Seed + 1)).Choose(v, at));
    }

    [Fact]
    public void Random_k_picks_every_coordinate_equally_often()
    {
        // 2000 messages of k = 10 out of 40: each coordinate is expected 500 times, σ = √(2000·¼·¾) ≈ 19.4.
        var randomK = (ISparseCompressor)Make("random-k", ratio: 0.25);
        var counts = new int[40];
        for (int r = 0; r < 2000; r++)
            foreach (int i in randomK.Choose(new float[40], new MessageAddress(r, 1))) counts[i]++;
        Assert.All(counts, n => Assert.InRange(n, 500 - 5 * 19.4, 500 + 5 * 19.4));
    }

    [Fact]
    public void Qsgd_is_unbiased_within_a_statistical_band_and_its_variance_is_within_the_bound()
    {
        const int d = 64, s = 4, draws = 4000;
        var v = RandomVector(d, 9);
        var qsgd = (Qsgd)Make("qsgd", levels: s);
        double norm = Math.Sqrt(v.Sum(x => (double)x * x)), squaredError = 0;
        var mean = new double[d];
        for (int r = 0; r < draws; r++)
        {
            var q = qsgd.Compress(v, new MessageAddress(r, 0));
            var decoded = Decoded(qsgd, q);
            for (int k = 0; k < d; k++)
            {
                // Every value is on the grid ±‖v‖·l/s with the sign of v_k (or zero).
                double level = Math.Abs(decoded[k]) / q.Values[0] * s;
                Assert.Equal(Math.Round(level), level, 4);
                Assert.True(decoded[k] == 0 || Math.Sign(decoded[k]) == Math.Sign(v[k]));
                mean[k] += decoded[k] / (double)draws;
                squaredError += (decoded[k] - (double)v[k]) * (decoded[k] - v[k]) / draws;
            }
        }
        // Per element the variance is (‖v‖/s)²·p(1 − p) ≤ (‖v‖/s)²/4, so the mean's standard error is at most ‖v‖/(2s√N).
        double band = 5 * norm / (2 * s * Math.Sqrt(draws));
        for (int k = 0; k < d; k++) Assert.InRange(mean[k], v[k] - band, v[k] + band);
        double bound = qsgd.VarianceBound(d) * norm * norm;
        Assert.Equal(Math.Min(d / 16.0, 8 / 4.0), qsgd.VarianceBound(d));
        Assert.InRange(squaredError, 0.05 * bound, bound);
        Assert.Equal(1 / (1 + qsgd.VarianceBound(d)), ((ICompressor)qsgd).ContractiveScale(d), 12);
    }

    [Fact]
    public void Qsgd_of_zero_is_zero_and_one_level_sends_sign_and_a_single_bit()
    {
        var qsgd = Make("qsgd", levels: 1);
        var q = qsgd.Compress(new float[9], new MessageAddress(0, 0));
        Assert.Equal([0f], q.Values);
        Assert.All(Decoded(qsgd, q), x => Assert.Equal(0f, x));
        Assert.Equal(1, Qsgd.LevelBits(1));
        Assert.Equal(2, Qsgd.LevelBits(3));
        Assert.Equal(4, Qsgd.LevelBits(15));
        Assert.Equal(5, Qsgd.LevelBits(16));   // ⌈log2 17⌉
    }

    [Fact]
    public void Sign_sends_the_mean_magnitude_and_one_bit_per_element_least_significant_first()
    {
        var sign = Make("sign");
        float[] v = [1f, -1f, -2f, 3f, 0f, -0.5f, 7f, 8f, -9f];
        var q = sign.Compress(v, new MessageAddress(0, 0));
        float scale = 31.5f / 9;   // ‖v‖₁/d = 3.5
        Assert.Equal([scale], q.Values);
        // Elements 1, 2 and 5 are negative: 0b0010_0110; element 8 starts the second byte.
        Assert.Equal([(byte)0x26, (byte)0x01], q.Bits);
        Assert.Equal(v.Select(x => x < 0 ? -scale : scale), Decoded(sign, q));
    }

    [Fact]
    public void None_is_the_identity()
    {
        var v = RandomVector(33, 1);
        var none = Make("none");
        Assert.Equal(v, Decoded(none, ThroughWire(none.Compress(v, new MessageAddress(1, 1)))));
    }

    public static TheoryData<string, int> Layouts()
    {
        var data = new TheoryData<string, int>();
        foreach (string name in CompressorRegistry.Names)
        foreach (int d in new[] { 1, 7, 8, 9, 1000 })
            data.Add(name, d);
        return data;
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void The_stated_size_is_the_codec_length_and_the_issue_layout_and_the_wire_round_trip_is_exact(string name, int d)
    {
        var c = Make(name, ratio: 0.3, levels: 16);
        var v = RandomVector(d, (ulong)d);
        var q = c.Compress(v, new MessageAddress(5, 2, 1));
        int k = new CompressorSettings(0.3, 16, 0).CountOf(d);
        long expected = CompressedVector.HeaderBytes + name switch
        {
            "none" => 4L * d,
            "top-k" => 8L * k,                       // k int32 coordinates + k float32 values
            "random-k" => 4L * k,                    // the values only
            "qsgd" => 4 + (d * (1 + 5) + 7) / 8,     // the norm + a sign bit and ⌈log2 17⌉ = 5 level bits per element
            "sign" => 4 + (d + 7) / 8,               // the scale + one bit per element
            _ => throw new InvalidOperationException(name),
        };
        Assert.Equal(expected, c.EncodedBytes(d));
        Assert.Equal(expected, q.Bytes);
        Assert.Equal(expected, PayloadCodecRegistry.Default.Body(q).Length);
        var back = ThroughWire(q);
        Assert.Equal((q.Round, q.Sender, q.Phase, q.Scheme, q.Length, q.Parameter), (back.Round, back.Sender, back.Phase, back.Scheme, back.Length, back.Parameter));
        Assert.Equal(q.Indices, back.Indices);
        Assert.Equal(q.Values.Select(BitConverter.SingleToInt32Bits), back.Values.Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(q.Bits, back.Bits);
        Assert.Equal(Decoded(c, q).Select(BitConverter.SingleToInt32Bits), Decoded(c, back).Select(BitConverter.SingleToInt32Bits));

        // Checkpoint files frame the same body.
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true)) PayloadState.Write(w, q);
        stream.Position = 0;
        using var r = new BinaryReader(stream);
        Assert.Equal(q.Bits, ((CompressedVector)PayloadState.Read(r)).Bits);
    }

    [Fact]
    public void The_codec_refuses_an_unknown_scheme_a_coordinate_out_of_range_and_a_short_body()
    {
        var codec = CompressedVectorCodec.Instance;
        Payload Read(byte[] body)
        {
            var r = new WireReader(body);
            return codec.ReadBody(ref r, 0, 0);
        }
        var good = PayloadCodecRegistry.Default.Body(Make("top-k").Compress([1f, 2f, 3f, 4f], new MessageAddress(0, 0)));
        var unknown = (byte[])good.Clone();
        unknown[0] = 200;
        Assert.Contains("unknown compression scheme 200", Assert.Throws<SerializationException>(() => Read(unknown)).Message);
        var outside = (byte[])good.Clone();
        outside[CompressedVector.HeaderBytes] = 9;   // the one coordinate (of 4) becomes 9
        Assert.Contains("coordinate 9 outside [0, 4)", Assert.Throws<SerializationException>(() => Read(outside)).Message);
        Assert.Throws<SerializationException>(() => Read(good[..^1]));
    }
}
