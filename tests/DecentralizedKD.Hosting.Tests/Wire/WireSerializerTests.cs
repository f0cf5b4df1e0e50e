using Akka.Actor;
using Akka.TestKit.Xunit2;
using DecentralizedKD.Actors;
using DecentralizedKD.Actors.Hosts;
using DecentralizedKD.Core.Algorithms;
using DecentralizedKD.Core.Simulation;
using DecentralizedKD.Core.Wire;
using DecentralizedKD.Hosting.Cluster;
using DecentralizedKD.Hosting.Wire;
using Xunit;
using DecentralizedKD.Core.Algorithms.Registry;

namespace DecentralizedKD.Hosting.Tests.Wire;

/// <summary>Every wire message through the binary serializer of a real actor system (bindings from hocon/wire.conf).</summary>
public sealed class WireSerializerTests() : TestKit(ClusterAkkaConfig.WireBindings())
{
    private WireSerializer Serializer => (WireSerializer)Sys.Serialization.FindSerializerForType(typeof(StartRound));

    private IEnumerable<object> Samples() => Samples(CreateTestProbe("a").Ref, CreateTestProbe("b").Ref);

    /// <summary>One or more of every wire message type (also the seeds of <see cref="HostileFrameTests"/>).</summary>
    internal static IEnumerable<object> Samples(IActorRef a, IActorRef b)
    {
        var counts = new Dictionary<string, long> { ["parameters"] = 800, ["feature-sums"] = 44 };
        var p = new ParameterPayload(3, 1, [1f, float.NaN, -0f]);
        var f = new FeatureSumsPayload(3, 2, [0.25f, 4f], [1f]) { Phase = 1 };
        return
        [
            new SetNeighbours(new Dictionary<int, IActorRef> { [4] = a, [9] = b }),
            new AgentReady(4), new StartRound(17), new GossipMessage(p), new GossipMessage(f),
            new RoundDone(2, 17, 0.123456789, 1600, counts), new Evaluate(18),
            new EvaluationReport(2, 18, 0.875, [1f, 2f, float.Epsilon]), new EvaluationReportReceived(2), new EvaluateAverage(18, [0.5f, -1f]),
            new AverageEvaluated(18, 0.5), new AgentFailed(3, 4, "InvalidOperationException: boom"), new AbortRun("worker host x lost"), new NeighboursLost([3, 11]),
            new AssignAgents(1, [4, 5, 6], [0, 0, 0, 0, 1, 1, 1], [a, b], "0123abcd"),
            new AgentsRegistered(1, [4, 5], [a, b]), new HostRejected(1, "was started with a different experiment"),
            new HostGossip(f, [4, 6]), new WireChunk(42, 1, 3, WireSerializer.Id, "hg", [1, 2, 3]),
            new RunFinished(null), new RunFinished("agent 3 failed"),
            new HostWireStats(1, counts, new Dictionary<string, long> { ["ch"] = 1 << 20 }) { Dropped = 3 },
            .. CheckpointWireTests.Samples,
            // Asynchronous mode: every observation kind, infinities and NaN survive bit for bit.
            new HostRunWindow(0, [], 0), new HostRunWindow(12, [new AgentWindow(4, 0.125), new AgentWindow(6, double.PositiveInfinity)], 7),
            new HostWindowDone(1, 12, [
                new AgentWindowReport(4, [
                    new AsyncObservation.Evaluated(4, 10, 0.5, 0.75, [1f, float.NaN, -0f], 2.25, 10, 1600),
                    new AsyncObservation.Delivered(4, 0, 9, 0.4, 0.4123, 800), new AsyncObservation.Dropped(4, 1, 9, 0.4),
                    new AsyncObservation.Lost(0, 4, 8, 0.41), new AsyncObservation.Combined(4, 9, 0.45, [0, 2, -1], true),
                    new AsyncObservation.Churned(4, 0.2, false)], 0.6, 1600, counts, 10, SendBound.At(0.62)),
                new AgentWindowReport(5, [], double.PositiveInfinity, 0, new Dictionary<string, long>(), 12, SendBound.Never),
                new AgentWindowReport(6, [], 0.7, 0, new Dictionary<string, long>(), 3, SendBound.AfterWindowStart(0.02))],
                [new ArrivalDue(0, 0.4123), new ArrivalDue(2, 0.43)], [0, 2]),
            new HostArrivals(12, 1, [new ArrivalBundle(4, p, [new ArrivalTarget(0, 0.4123, 17), new ArrivalTarget(2, 0.43, 18)]),
                new ArrivalBundle(5, f, [new ArrivalTarget(1, 0.5, 3)])]),
            new HostArrivals(13, 0, []),
            // Sweeps across hosts: a run folder travels as files; empty files and a failed run too.
            new SweepWorkerReady("0123abcd", 2), new SweepWorkerAnswer(true, null), new SweepWorkerAnswer(false, "was started with a different sweep"),
            new SweepRunRequest(), new SweepRunAssigned(5), new SweepRunAssigned(-1), new SweepDone(),
            new SweepRunFiles(5, true, null, ["metrics.csv", "plots/accuracy.png", ".sweep-complete"], [[1, 2, 3], [], [0xff]]),
            new SweepRunFiles(6, false, "InvalidOperationException: boom", [], []),
            // The run-secret handshake.
            new JoinChallenge([1, 2, 3], [4, 5]), new JoinProof([1, 2, 3], []), new JoinRefused("does not know the run secret"),
        ];
    }

    [Fact]
    public void Every_wire_message_type_round_trips_field_for_field_and_re_encodes_to_the_same_bytes()
    {
        var samples = Samples().ToList();
        Assert.Equal(WireSerializer.MessageTypes.Select(t => t.FullName).Order(), samples.Select(s => s.GetType().FullName).Distinct().Order());
        foreach (var message in samples)
        {
            byte[] bytes = Serializer.ToBinary(message);
            var back = Serializer.FromBinary(bytes, Serializer.Manifest(message));
            WireRoundTrip.AssertSame(message, back);
            Assert.Equal(bytes, Serializer.ToBinary(back));
        }
    }

    [Fact]
    public void Every_message_takes_at_least_its_declared_minimum_size_and_the_emptiest_take_exactly_that()
    {
        var declared = new WireMessages(path => ((ExtendedActorSystem)Sys).Provider.ResolveActorRef(path), PayloadCodecRegistry.Default);
        foreach (var message in Samples())
            Assert.True(Serializer.EncodedSize(message) >= declared.For(message.GetType()).MinSize, message.GetType().Name);
        object[] emptiest =
        [
            new StartRound(17), new RunFinished(null), new SweepDone(), new HostRunWindow(0, [], 0), new HostArrivals(13, 0, []),
            new RestoreAgentStates(0, []), new SweepRunFiles(6, false, null, [], []), new AgentFailed(3, 4, ""), new HostWindowDone(1, 12, [], [], []),
        ];
        Assert.Equal(emptiest.Select(m => (m.GetType().Name, Serializer.EncodedSize(m))),
            emptiest.Select(m => (m.GetType().Name, (long)declared.For(m.GetType()).MinSize)));
    }

    [Fact]
    public void Every_type_bound_to_the_wire_serializer_in_wire_conf_has_a_declaration_and_every_declaration_is_bound()
    {
        var bound = Sys.Settings.Config.GetConfig("akka.actor.serialization-bindings").AsEnumerable()
            .Where(kv => kv.Value.GetString() == "dkd-wire")
            .Select(kv => Type.GetType(kv.Key, throwOnError: true)!.FullName)
            .Order();
        Assert.Equal(WireSerializer.MessageTypes.Select(t => t.FullName).Order(), bound);
    }

    [Fact]
    public void Every_wire_message_type_is_bound_to_the_wire_serializer_and_no_cluster_message_is_missing()
    {
        foreach (var type in WireSerializer.MessageTypes)
            Assert.IsType<WireSerializer>(Sys.Serialization.FindSerializerForType(type));
        var clusterMessages = typeof(HostGossip).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(HostGossip).Namespace && t.IsPublic && t.GetMethod("<Clone>$") is not null
                        && !typeof(INoSerializationVerificationNeeded).IsAssignableFrom(t) && !t.Name.EndsWith("Settings"));
        Assert.All(clusterMessages, t => Assert.Contains(t, WireSerializer.MessageTypes));
    }

    [Fact]
    public void Bytes_handed_to_the_transport_are_counted_per_manifest_but_chunk_reassembly_is_not()
    {
        var stats = WireStats.For(Sys);
        var message = new GossipMessage(new ParameterPayload(1, 0, new float[1000]));
        byte[] bytes = Serializer.ToBinary(message);
        Serializer.FromBinary(bytes, "gm");
        Serializer.Encode(message);
        Assert.Equal(bytes.Length, stats.Sent["gm"]);
        Assert.Equal(bytes.Length, stats.Received["gm"]);
        Assert.Equal(4000 + 4 + 10 + 12, bytes.Length);   // floats + count + tag + round/sender/phase
    }

    [Fact]
    public void A_large_message_travels_as_ordered_chunks_no_larger_than_the_chunk_size_and_reassembles()
    {
        var probe = CreateTestProbe();
        var link = new ChunkedLink(Sys, chunkBytes: 16 * 1024);
        var floats = Enumerable.Range(0, 20_000).Select(i => i * 0.5f).ToArray();
        var gossip = new HostGossip(new ParameterPayload(5, 2, floats) { Phase = 1 }, [3, 7]);
        long size = Serializer.EncodedSize(gossip);
        link.Send(probe.Ref, gossip, TestActor);
        link.Send(probe.Ref, new StartRound(1), TestActor);   // small: sent whole
        int expectedChunks = (int)((size + 16 * 1024 - 1) / (16 * 1024));
        var assembler = new ChunkAssembler(Sys);
        object? whole = null;
        for (int k = 0; k < expectedChunks; k++)
        {
            var chunk = probe.ExpectMsg<WireChunk>();
            Assert.Equal((k, expectedChunks), (chunk.Index, chunk.Count));
            Assert.True(chunk.Data.Length <= 16 * 1024);
            whole = assembler.Add(WireRoundTrip.Message(Serializer, chunk), TestActor);
            Assert.Equal(k == expectedChunks - 1, whole is not null);
        }
        WireRoundTrip.AssertSame(gossip, whole);
        Assert.Equal(1, probe.ExpectMsg<StartRound>().Round);
        Assert.Equal(0, assembler.Pending);
    }

    [Fact]
    public void The_host_outbox_sends_one_copy_of_a_shared_payload_per_destination_host()
    {
        var host = CreateTestProbe();
        var local = CreateTestProbe();
        var remote = CreateTestProbe();
        // Agents 0,1 on host 0 (this one), 2,3 on host 1, 4 on host 2.
        var outbox = new HostOutbox(host.Ref, 0, [0, 0, 1, 1, 2]);
        var shared = new ParameterPayload(1, 0, [1f]);
        var perNeighbour3 = new FeatureSumsPayload(1, 0, [2f], [1f]) { Phase = 1 };
        outbox.Send(
        [
            new OutgoingGossip(1, local.Ref, shared), new OutgoingGossip(2, remote.Ref, shared), new OutgoingGossip(3, remote.Ref, shared),
            new OutgoingGossip(4, remote.Ref, shared),
        ], TestActor);
        Assert.Same(shared, local.ExpectMsg<GossipMessage>().Payload);
        var toHost1 = host.ExpectMsg<RelayGossip>();
        Assert.Equal(1, toHost1.Host);
        Assert.Equal([2, 3], toHost1.Targets);
        Assert.Same(shared, toHost1.Payload);
        var toHost2 = host.ExpectMsg<RelayGossip>();
        Assert.Equal(2, toHost2.Host);
        Assert.Equal([4], toHost2.Targets);
        // Different payloads for two agents of one host (e.g. computed under each receiver's parameters): one each.
        outbox.Send([new OutgoingGossip(2, remote.Ref, shared), new OutgoingGossip(3, remote.Ref, perNeighbour3)], TestActor);
        Assert.Equal(new[] { 2 }, host.ExpectMsg<RelayGossip>().Targets);
        Assert.Equal(new[] { 3 }, host.ExpectMsg<RelayGossip>().Targets);
        remote.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }
}
