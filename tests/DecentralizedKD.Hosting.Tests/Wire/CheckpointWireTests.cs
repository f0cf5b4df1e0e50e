using Akka.Actor;
using Akka.TestKit.Xunit2;
using DecentralizedKD.Actors;
using DecentralizedKD.Actors.Hosts;
using DecentralizedKD.Core.Checkpoint;
using DecentralizedKD.Hosting.Cluster;
using DecentralizedKD.Hosting.Wire;
using Xunit;
using DecentralizedKD.Core.State;

namespace DecentralizedKD.Hosting.Tests.Wire;

/// <summary>
/// The checkpoint messages of cluster runs through the binary wire serializer: field for field, an agent's state file
/// bytes unchanged (even when chunked), and through an actor system with serialize-messages = on.
/// </summary>
public sealed class CheckpointWireTests() : TestKit(Akka.Configuration.ConfigurationFactory
    .ParseString("akka.actor.serialize-messages = on").WithFallback(ClusterAkkaConfig.WireBindings()))
{
    private static readonly StateFileHeader Header = new("ab12cd34", StateOwner.Agent, 4, 6);

    /// <summary>One of each checkpoint message (also part of the every-type round trip in <see cref="WireSerializerTests"/>).</summary>
    public static object[] Samples =>
    [
        new SaveAgentState("/runs/x/checkpoint/round-6/agent-4.bin", Header), new AgentStateSaved(4, 6),
        new AgentStateBytes(4, Header, StateFile.Encode(Header, w => w.WriteFloats([1f, float.NaN, -0f]))),
        new RestoreAgentStates(1, [new AgentStateBytes(3, Header with { Id = 3 }, [1, 2, 3]), new AgentStateBytes(4, Header, [])]),
        new RestoreAgentStates(0, []), new AgentStatesRestored(1),
    ];

    private WireSerializer Serializer => (WireSerializer)Sys.Serialization.FindSerializerForType(typeof(AgentStateBytes));

    [Fact]
    public void Every_checkpoint_message_round_trips_field_for_field()
    {
        foreach (var message in Samples)
        {
            Assert.IsType<WireSerializer>(Sys.Serialization.FindSerializerForType(message.GetType()));
            WireRoundTrip.AssertSame(message, WireRoundTrip.Message(Serializer, message));
        }
        var owner = WireRoundTrip.Message(Serializer, new SaveAgentState("p", Header with { Owner = StateOwner.Coordinator }));
        Assert.Equal(StateOwner.Coordinator, owner.Header.Owner);
    }

    [Fact]
    public void A_large_agent_state_travels_chunked_and_arrives_byte_identical()
    {
        var state = StateFile.Encode(Header, w => w.WriteFloats(Enumerable.Range(0, 50_000).Select(i => i * 0.25f).ToArray()));
        var message = new AgentStateBytes(4, Header, state);
        var probe = CreateTestProbe();
        new ChunkedLink(Sys, chunkBytes: 64 * 1024).Send(probe.Ref, message, TestActor);
        var assembler = new ChunkAssembler(Sys);
        object? whole = null;
        int chunks = 0;
        while (whole is null)
        {
            var chunk = probe.ExpectMsg<WireChunk>();
            Assert.True(chunk.Data.Length <= 64 * 1024);
            chunks++;
            whole = assembler.Add(chunk, TestActor);
        }
        Assert.True(chunks > 1, $"{chunks} chunk(s)");
        var back = Assert.IsType<AgentStateBytes>(whole);
        Assert.Equal(state, back.State);
        Assert.Equal(Header, back.Header);
    }

    /// <summary>serialize-messages = on: a local Tell goes through the bound serializer, as a cross-host send would.</summary>
    [Fact]
    public void Checkpoint_messages_survive_an_actor_system_that_serializes_every_message()
    {
        var echo = Sys.ActorOf(Props.Create(() => new Echo()));
        foreach (var message in Samples)
        {
            echo.Tell(message, TestActor);
            WireRoundTrip.AssertSame(message, ExpectMsg<object>());
        }
    }

    private sealed class Echo : ReceiveActor
    {
        public Echo() => ReceiveAny(m => Sender.Tell(m));
    }
}
