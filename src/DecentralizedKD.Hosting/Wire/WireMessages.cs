using System.Runtime.Serialization;
using Akka.Actor;
using DecentralizedKD.Actors;
using DecentralizedKD.Actors.Hosts;
using DecentralizedKD.Core.Algorithms;
using DecentralizedKD.Core.Wire;
using static DecentralizedKD.Core.Wire.WireFormats;
using DecentralizedKD.Core.Algorithms.Registry;

namespace DecentralizedKD.Hosting.Wire;

/// <summary>
/// The layout of every wire message (sync protocol + cluster protocol), keyed by type and by a short manifest. Each
/// message is one declaration — manifest, fields in wire order, constructor — from which its encoder, decoder and
/// minimum size follow (<see cref="WireFormats"/>); the declared types are the ones hocon/wire.conf must bind.
/// Actor references travel as their full path and are resolved by the receiving system.
/// </summary>
internal sealed partial class WireMessages
{
    /// <summary>Bytes (or counts) by name, sorted by name on the wire.</summary>
    private static readonly WireFormat<IReadOnlyDictionary<string, long>> Counts =
        MapOf(RequiredString, Long, StringComparer.Ordinal, StringComparer.Ordinal);

    private static readonly Lazy<IReadOnlyList<Type>> DeclaredTypes = new(() =>
        new WireMessages(_ => throw new InvalidOperationException("the list of wire message types resolves no actor paths"),
            PayloadCodecRegistry.Default)._declared);

    private readonly Dictionary<Type, MessageCodec> _byType = [];
    private readonly Dictionary<string, MessageCodec> _byManifest = new(StringComparer.Ordinal);
    private readonly List<Type> _declared = [];

    /// <summary>An actor reference as its serialized path; null for Nobody.</summary>
    private readonly WireFormat<IActorRef> _actor;

    private readonly WireFormat<Payload> _payload;

    /// <param name="resolveActor">Turns a serialized actor path read from the wire into a reference (the receiving system's provider).</param>
    public WireMessages(Func<string, IActorRef> resolveActor, PayloadCodecRegistry payloads)
    {
        _actor = NullableString.Converted(
            path => path is null ? ActorRefs.Nobody : resolveActor(path),
            actor => actor.IsNobody() ? null : Akka.Serialization.Serialization.SerializedActorPath(actor));
        _payload = new PayloadFormat(payloads);

        DeclareSyncProtocol();
        DeclareClusterProtocol();
        DeclareCheckpointMessages();   // WireMessages.Checkpoint.cs
        DeclareAsyncProtocol();        // WireMessages.Async.cs
        DeclareSweepProtocol();        // WireMessages.Sweep.cs
        DeclareJoinProtocol();         // WireMessages.Join.cs
    }

    /// <summary>Synchronous protocol (Messages.cs).</summary>
    private void DeclareSyncProtocol()
    {
        Declare("sn", Record<SetNeighbours>()
            .Field(m => m.Neighbours, MapOf(Int, _actor, Comparer<int>.Default))
            .Build(neighbours => new SetNeighbours(neighbours)));
        Declare("ar", Record<AgentReady>().Field(m => m.AgentId, Int).Build(agent => new AgentReady(agent)));
        Declare("st", Record<StartRound>().Field(m => m.Round, Int).Build(round => new StartRound(round)));
        Declare("gm", Record<GossipMessage>().Field(m => m.Payload, _payload).Build(payload => new GossipMessage(payload)));
        Declare("rd", Record<RoundDone>()
            .Field(m => m.AgentId, Int).Field(m => m.Round, Int).Field(m => m.Loss, Float64).Field(m => m.BytesSent, Long)
            .Field(m => m.BytesByKind, Counts)
            .Build((agent, round, loss, bytesSent, byKind) => new RoundDone(agent, round, loss, bytesSent, byKind)));
        Declare("ev", Record<Evaluate>().Field(m => m.CompletedRounds, Int).Build(rounds => new Evaluate(rounds)));
        Declare("er", Record<EvaluationReport>()
            .Field(m => m.AgentId, Int).Field(m => m.CompletedRounds, Int).Field(m => m.Accuracy, Float64).Field(m => m.Parameters, Floats)
            .Build((agent, rounds, accuracy, parameters) => new EvaluationReport(agent, rounds, accuracy, parameters)));
        Declare("eq", Record<EvaluationReportReceived>().Field(m => m.AgentId, Int).Build(agent => new EvaluationReportReceived(agent)));
        Declare("ea", Record<EvaluateAverage>()
            .Field(m => m.CompletedRounds, Int).Field(m => m.Parameters, Floats)
            .Build((rounds, parameters) => new EvaluateAverage(rounds, parameters)));
        Declare("ae", Record<AverageEvaluated>()
            .Field(m => m.CompletedRounds, Int).Field(m => m.Accuracy, Float64)
            .Build((rounds, accuracy) => new AverageEvaluated(rounds, accuracy)));
        Declare("af", Record<AgentFailed>()
            .Field(m => m.AgentId, Int).Field(m => m.Round, Int).Field(m => m.Error, RequiredString)
            .Build((agent, round, error) => new AgentFailed(agent, round, error)));
        Declare("ab", Record<AbortRun>().Field(m => m.Reason, RequiredString).Build(reason => new AbortRun(reason)));
        Declare("nl", Record<NeighboursLost>().Field(m => m.AgentIds, Ints).Build(agents => new NeighboursLost(agents)));
    }

    /// <summary>Cluster protocol (Hosts/ClusterMessages.cs).</summary>
    private void DeclareClusterProtocol()
    {
        Declare("as", Record<AssignAgents>()
            .Field(m => m.HostIndex, Int).Field(m => m.AgentIds, Ints).Field(m => m.HostOfAgent, Ints).Field(m => m.Hosts, ArrayOf(_actor))
            .Field(m => m.Fingerprint, RequiredString)
            .Build((host, agents, hostOfAgent, hosts, fingerprint) => new AssignAgents(host, agents, hostOfAgent, hosts, fingerprint)));
        Declare("rg", Record<AgentsRegistered>()
            .Field(m => m.HostIndex, Int).Field(m => m.AgentIds, Ints).Field(m => m.Agents, ArrayOf(_actor))
            .Build((host, ids, agents) => new AgentsRegistered(host, ids, agents)));
        Declare("hr", Record<HostRejected>()
            .Field(m => m.HostIndex, Int).Field(m => m.Reason, RequiredString)
            .Build((host, reason) => new HostRejected(host, reason)));
        Declare("hg", Record<HostGossip>()
            .Field(m => m.Targets, Ints).Field(m => m.Payload, _payload)
            .Build((targets, payload) => new HostGossip(payload, targets)));
        Declare("ch", Record<WireChunk>()
            .Field(m => m.TransferId, Long).Field(m => m.Index, Int).Field(m => m.Count, Int).Field(m => m.SerializerId, Int)
            .Field(m => m.Manifest, RequiredString).Field(m => m.Data, Bytes)
            .Build((transfer, index, count, serializer, manifest, data) => new WireChunk(transfer, index, count, serializer, manifest, data)));
        Declare("rf", Record<RunFinished>().Field(m => m.Error, NullableString).Build(error => new RunFinished(error)));
        Declare("ws", Record<HostWireStats>()
            .Field(m => m.HostIndex, Int).Field(m => m.Sent, Counts).Field(m => m.Received, Counts).Field(m => m.Dropped, Long)
            .Build((host, sent, received, dropped) => new HostWireStats(host, sent, received) { Dropped = dropped }));
    }

    /// <summary>Every message type with a layout here (each must be bound to the serializer in hocon/wire.conf).</summary>
    public static IReadOnlyList<Type> Types => DeclaredTypes.Value;

    private void Declare<T>(string manifest, WireFormat<T> format) where T : notnull
    {
        var codec = new MessageCodec<T>(manifest, format);
        _byType.Add(typeof(T), codec);
        _byManifest.Add(manifest, codec);
        _declared.Add(typeof(T));
    }

    public MessageCodec? TryFor(Type type) => _byType.GetValueOrDefault(type);

    public MessageCodec For(Type type) =>
        TryFor(type) ?? throw new SerializationException($"the wire serializer has no layout for {type.Name}");

    public MessageCodec ForManifest(string manifest) =>
        _byManifest.GetValueOrDefault(manifest) ?? throw new SerializationException($"unknown wire manifest '{manifest}'");
}
