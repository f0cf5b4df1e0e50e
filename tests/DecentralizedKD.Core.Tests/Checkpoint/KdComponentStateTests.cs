using DecentralizedKD.Core.Training;
using DecentralizedKD.Core.Algorithms;
using DecentralizedKD.Core.Algorithms.Idkd;
using Xunit;
using DecentralizedKD.Core.Wire;
using DecentralizedKD.Core.State;

namespace DecentralizedKD.Core.Tests.Checkpoint;

/// <summary>The state pieces of IDKD and FedDKD that need no torch: soft labels, the label exchange, the server.</summary>
public sealed class KdComponentStateTests
{
    private static byte[] Write(Action<BinaryWriter> save)
    {
        var buffer = new MemoryStream();
        using (var w = new BinaryWriter(buffer)) save(w);
        return buffer.ToArray();
    }

    private static BinaryReader Reader(byte[] bytes) => new(new MemoryStream(bytes));

    private static readonly SoftLabels TwoOfThree = new([1, 4], [0.25f, 0.75f, 0.5f, 0.5f], 2);

    [Fact]
    public void Soft_labels_round_trip_and_foreign_ones_are_invalid_data()
    {
        var bytes = Write(w => w.WriteSoftLabels(TwoOfThree));
        var back = Reader(bytes).ReadSoftLabels(2, 5, "labels");
        Assert.Equal(TwoOfThree.PoolIds.ToArray(), back.PoolIds.ToArray());
        Assert.Equal(TwoOfThree.Values.ToArray(), back.Values.ToArray());

        Assert.Contains("saved 2 classes, this run has 3", Assert.Throws<InvalidDataException>(() => Reader(bytes).ReadSoftLabels(3, 5, "labels")).Message);
        // Pool id 4 does not exist in a pool of 4 samples; more labels than pool samples is refused before allocating.
        Assert.Contains("pool ids outside 0..3", Assert.Throws<InvalidDataException>(() => Reader(bytes).ReadSoftLabels(2, 4, "labels")).Message);
        Assert.Contains("2 labelled samples, the public pool has 1", Assert.Throws<InvalidDataException>(() => Reader(bytes).ReadSoftLabels(2, 1, "labels")).Message);
        var unordered = Write(w => { w.Write(2); w.Write(2); w.WriteInts([3, 1]); w.WriteFloats(new float[4]); });
        Assert.Contains("strictly ascending", Assert.Throws<InvalidDataException>(() => Reader(unordered).ReadSoftLabels(2, 5, "labels")).Message);
    }

    private static LabelExchange Exchange(int self) => new(self, [[5, 0], [0, 5]], LabelSelection.Support, 2);

    [Fact]
    public void A_label_exchange_restores_what_it_relays_next()
    {
        var a = Exchange(0);
        a.Prepare(round: 2, phase: 1, () => TwoOfThree);
        a.Receive(new SoftLabelPayload(2, 1, new SoftLabels([0], [0.9f, 0.1f], 2)) { Phase = 1 });
        a.Combine(2);
        var restored = Exchange(0);
        restored.LoadState(Reader(Write(a.SaveState)), poolCount: 5);
        Assert.Equal(1, restored.Completed);
        // The next exchange re-sends the selected labels; the detector is never asked again.
        var next = restored.Prepare(round: 5, phase: 1, () => throw new InvalidOperationException("detector called after the first exchange"));
        Assert.Equal(a.Selected.PoolIds.ToArray(), next.Labels.PoolIds.ToArray());
        Assert.Equal(a.Selected.Values.ToArray(), next.Labels.Values.ToArray());
    }

    [Fact]
    public void Unconsumed_payloads_cannot_be_checkpointed()
    {
        var exchange = Exchange(0);
        exchange.Receive(new SoftLabelPayload(2, 1, TwoOfThree) { Phase = 1 });
        Assert.Throws<NotSupportedException>(() => Write(exchange.SaveState));

        var server = new FedDkdServer(2, [1f, 2f], [1, 3], 0.1, new FedDkdSchedule(1));
        server.Receive(new ParameterPayload(0, 0, [0f, 0f]));
        Assert.Throws<NotSupportedException>(() => Write(server.SaveState));
    }

    [Fact]
    public void The_server_restores_its_global_model()
    {
        var schedule = new FedDkdSchedule(0);
        var server = new FedDkdServer(2, [1f, 2f], [1, 3], 0.1, schedule);
        server.Receive(new ParameterPayload(0, 0, [4f, 0f]));
        server.Receive(new ParameterPayload(0, 1, [0f, 8f]));
        server.Combine(0, 0);
        var restored = new FedDkdServer(2, [1f, 2f], [1, 3], 0.1, schedule);
        restored.LoadState(Reader(Write(server.SaveState)));
        Assert.Equal([1f, 6f], restored.Parameters.ToArray());
        Assert.Same(typeof(FedDkdServer), CheckpointSupport.StateOf(restored).GetType());
    }
}
