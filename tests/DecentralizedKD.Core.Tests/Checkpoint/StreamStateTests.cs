using DecentralizedKD.Core.Checkpoint;
using DecentralizedKD.Core.Data;
using DecentralizedKD.Core.Optimization;
using DecentralizedKD.Core.Randomness;
using Xunit;
using DecentralizedKD.Core.State;

namespace DecentralizedKD.Core.Tests.Checkpoint;

/// <summary>Random streams, batch streams and momentum buffers continue exactly where they were saved.</summary>
public sealed class StreamStateTests
{
    private static byte[] Save(ICheckpointable state)
    {
        var buffer = new MemoryStream();
        using (var w = new BinaryWriter(buffer)) state.SaveState(w);
        return buffer.ToArray();
    }

    private static void Load(ICheckpointable state, byte[] bytes)
    {
        using var r = new BinaryReader(new MemoryStream(bytes));
        state.LoadState(r);
        Assert.Equal(bytes.Length, r.BaseStream.Position);
    }

    [Fact]
    public void Rng_continues_its_stream_including_a_cached_normal_deviate()
    {
        var original = new Rng(42);
        for (int k = 0; k < 5; k++) original.NextULong();
        original.NextNormal();   // the polar method caches the second deviate: it must survive the checkpoint
        var restored = new Rng(7);
        Load(restored, Save(original));
        for (int k = 0; k < 50; k++)
        {
            Assert.Equal(original.NextNormal(), restored.NextNormal());
            Assert.Equal(original.NextInt(1000), restored.NextInt(1000));
        }
    }

    [Fact]
    public void Batch_sampler_continues_mid_epoch_and_across_the_next_permutation()
    {
        int[] local = Enumerable.Range(0, 50).Select(i => 1000 + 7 * i).ToArray();
        var original = new BatchSampler(local, 16, 3);   // 3 batches per epoch
        var batch = new int[16];
        for (int k = 0; k < 4; k++) original.Next(batch);   // second epoch, one batch in
        var restored = new BatchSampler(local, 16, 99);
        Load(restored, Save(original));
        Assert.Equal(2, restored.Epoch);
        var a = new int[16];
        var b = new int[16];
        for (int k = 0; k < 10; k++)   // the rest of epoch 2, then epochs 3–5 drawn by the restored RNG
        {
            original.Next(a);
            restored.Next(b);
            Assert.Equal(a, b);
        }
        Assert.Equal(original.Epoch, restored.Epoch);
    }

    [Fact]
    public void Batch_sampler_refuses_a_state_of_another_local_set()
    {
        var small = new BatchSampler(Enumerable.Range(0, 40).ToArray(), 8, 1);
        var bytes = Save(small);
        var other = new BatchSampler(Enumerable.Range(0, 41).ToArray(), 8, 1);
        var e = Assert.Throws<InvalidDataException>(() => Load(other, bytes));
        Assert.Equal("batch order: saved length 40, this run has 41", e.Message);
    }

    [Fact]
    public void Momentum_buffer_round_trips_bit_exactly()
    {
        var m = new MomentumStep(3);
        float[] x = [1, 2, 3];
        float[] g = [0.5f, -1, float.Epsilon];
        m.Apply(x, g, 0.1f, 0.9f, nesterov: false);
        var restored = new MomentumStep(3);
        Load(restored, Save(m));
        Assert.Equal(m.Buffer.ToArray(), restored.Buffer.ToArray());
        Assert.Equal([0.5f, -1, float.Epsilon], restored.Buffer.ToArray());   // m = β·0 + g
    }
}
