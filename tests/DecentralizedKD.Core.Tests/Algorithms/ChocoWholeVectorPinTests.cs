using System.Security.Cryptography;
using DecentralizedKD.Core.Algorithms;
using DecentralizedKD.Core.Algorithms.Registry;
using DecentralizedKD.Core.Compression;
using DecentralizedKD.Core.Optimization;
using DecentralizedKD.Core.Topology;
using DecentralizedKD.Core.Wire;
using Xunit;

namespace DecentralizedKD.Core.Tests.Algorithms;

/// <summary>
/// CHOCO on the whole flat vector (<c>scope = model</c>) pinned to the implementation before per-tensor compression
/// existed: the digests below were computed by that implementation (every message's wire body and every agent's
/// parameters after each round), so the published compressed-gossip numbers, which ran with it, still rerun.
/// </summary>
public sealed class ChocoWholeVectorPinTests
{
    private const int Dim = 40, Agents = 5, Rounds = 6;

    private static float[] Center(int i) => Enumerable.Range(0, Dim).Select(k => (float)Math.Sin(3 * i + k) * 4).ToArray();

    private static readonly float[] Start = Enumerable.Range(0, Dim).Select(k => (float)Math.Cos(k)).ToArray();

    private static MixingRow RingRow(int i) =>
        new(i, 1.0 / 3, new[] { (i + Agents - 1) % Agents, (i + 1) % Agents }.Order().ToList(), [1.0 / 3, 1.0 / 3]);

    internal static string Digest(Func<int, Choco> agent)
    {
        var agents = Enumerable.Range(0, Agents).Select(agent).ToArray();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (int r = 0; r < Rounds; r++)
        {
            foreach (var a in agents) a.LocalWork(r);
            var sent = agents.Select(a => a.Outgoing(r, 0, -1)!).ToArray();
            foreach (var p in sent) hash.AppendData(PayloadCodecRegistry.Default.Body(p));
            for (int i = 0; i < Agents; i++)
                foreach (int j in RingRow(i).Neighbours) agents[i].Receive(sent[j]);
            foreach (var a in agents)
            {
                a.Combine(r, 0);
                hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(a.Parameters));
            }
        }
        return Convert.ToHexString(hash.GetHashAndReset())[..16];
    }

    internal static Choco WholeVectorAgent(int i, string compressor) =>
        new(new QuadraticSource(Center(i), Start, (ulong)i), RingRow(i), new SgdSettings(0.9, false, 1e-3), new LearningRateSchedule(0.05), 1,
            CompressorRegistry.Create(compressor, new CompressorSettings(0.2, 8, 7)), 0.3);

    [Theory]
    [InlineData("top-k", "DD541D6165B6CD88")]
    [InlineData("random-k", "2B8E4AC3BF385B24")]
    [InlineData("qsgd", "61B77E07AA371BD9")]
    [InlineData("sign", "60C79622871CBDBA")]
    public void Whole_vector_choco_sends_the_same_bytes_and_reaches_the_same_parameters_as_before_per_tensor_compression(string compressor, string digest)
    {
        Assert.Equal(digest, Digest(i => WholeVectorAgent(i, compressor)));
        // The descriptor's path for scope = model builds the same compressor.
        Assert.Equal(digest, Digest(i => new Choco(new QuadraticSource(Center(i), Start, (ulong)i), RingRow(i), new SgdSettings(0.9, false, 1e-3),
            new LearningRateSchedule(0.05), 1, ChocoScope.Model.Create(new CompressionKeys(compressor, 0.2, 8), 7, [Dim - 10, 10]), 0.3)));
    }

    [Fact]
    public void Per_tensor_choco_differs_from_whole_vector_choco()
    {
        string perTensor = Digest(i => new Choco(new QuadraticSource(Center(i), Start, (ulong)i), RingRow(i), new SgdSettings(0.9, false, 1e-3),
            new LearningRateSchedule(0.05), 1, ChocoScope.Tensor.Create(new CompressionKeys("top-k", 0.2, 8), 7, [Dim - 10, 10]), 0.3));
        Assert.NotEqual(Digest(i => WholeVectorAgent(i, "top-k")), perTensor);
    }
}
