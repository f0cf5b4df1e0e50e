using System.Runtime.Serialization;
using Akka.Actor;
using DecentralizedKD.Actors;
using DecentralizedKD.Actors.Hosts;
using DecentralizedKD.Core.Algorithms;
using DecentralizedKD.Core.Wire;

namespace DecentralizedKD.Hosting.Wire;

/// <summary>
/// The layout of every wire message (sync protocol + cluster protocol), keyed by type and by a short manifest.
/// Actor references travel as their full path and are resolved by the receiving system.
/// </summary>
internal sealed partial class WireMessages
{
    private readonly Dictionary<Type, MessageCodec> _byType = [];
    private readonly Dictionary<string, MessageCodec> _byManifest = new(StringComparer.Ordinal);
    private readonly ExtendedActorSystem _system;
    private readonly PayloadCodecRegistry _payloads;

    public WireMessages(ExtendedActorSystem system, PayloadCodecRegistry payloads)
    {
        _system = system;
        _payloads = payloads;
        // Synchronous protocol (Messages.cs).
        Add<SetNeighbours>("sn", (ref WireWriter w, SetNeighbours m) =>
        {
            w.Int32(m.Neighbours.Count);
            foreach (var (id, actor) in m.Neighbours.OrderBy(kv => kv.Key))
            {
                w.Int32(id);
                WriteRef(ref w, actor);
            }
        }, (ref WireReader r) =>
        {
            int n = r.SequenceCount(8);
            var map = new Dictionary<int, IActorRef>(n);
            for (int k = 0; k < n; k++)
            {
                int id = r.Int32();
                map[id] = ReadRef(ref r);
            }
            return new SetNeighbours(map);
        });
        Add<AgentReady>("ar", (ref WireWriter w, AgentReady m) => w.Int32(m.AgentId), (ref WireReader r) => new AgentReady(r.Int32()));
        Add<StartRound>("st", (ref WireWriter w, StartRound m) => w.Int32(m.Round), (ref WireReader r) => new StartRound(r.Int32()));
        Add<GossipMessage>("gm", (ref WireWriter w, GossipMessage m) => _payloads.Write(ref w, m.Payload),
            (ref WireReader r) => new GossipMessage(_payloads.Read(ref r)));
        Add<RoundDone>("rd", (ref WireWriter w, RoundDone m) =>
        {
            w.Int32(m.AgentId);
            w.Int32(m.Round);
            w.Double(m.Loss);
            w.Int64(m.BytesSent);
            WriteCounts(ref w, m.BytesByKind);
        }, (ref WireReader r) => new RoundDone(r.Int32(), r.Int32(), r.Double(), r.Int64(), ReadCounts(ref r)));
        Add<Evaluate>("ev", (ref WireWriter w, Evaluate m) => w.Int32(m.CompletedRounds), (ref WireReader r) => new Evaluate(r.Int32()));
        Add<EvaluationReport>("er", (ref WireWriter w, EvaluationReport m) =>
        {
            w.Int32(m.AgentId);
            w.Int32(m.CompletedRounds);
            w.Double(m.Accuracy);
            w.Floats(m.Parameters);
        }, (ref WireReader r) => new EvaluationReport(r.Int32(), r.Int32(), r.Double(), r.Floats()));
        Add<EvaluationReportReceived>("eq", (ref WireWriter w, EvaluationReportReceived m) => w.Int32(m.AgentId),
            (ref WireReader r) => new EvaluationReportReceived(r.Int32()));
        Add<EvaluateAverage>("ea", (ref WireWriter w, EvaluateAverage m) =>
        {
            w.Int32(m.CompletedRounds);
            w.Floats(m.Parameters);
        }, (ref WireReader r) => new EvaluateAverage(r.Int32(), r.Floats()));
        Add<AverageEvaluated>("ae", (ref WireWriter w, AverageEvaluated m) =>
        {
            w.Int32(m.CompletedRounds);
            w.Double(m.Accuracy);
        }, (ref WireReader r) => new AverageEvaluated(r.Int32(), r.Double()));
        Add<AgentFailed>("af", (ref WireWriter w, AgentFailed m) =>
        {
            w.Int32(m.AgentId);
            w.Int32(m.Round);
            w.String(m.Error);
        }, (ref WireReader r) => new AgentFailed(r.Int32(), r.Int32(), r.RequiredString()));
        Add<AbortRun>("ab", (ref WireWriter w, AbortRun m) => w.String(m.Reason), (ref WireReader r) => new AbortRun(r.RequiredString()));
        Add<NeighboursLost>("nl", (ref WireWriter w, NeighboursLost m) => w.Ints(m.AgentIds), (ref WireReader r) => new NeighboursLost(r.Ints()));

        // Cluster protocol (Cluster/ClusterMessages.cs).
        Add<AssignAgents>("as", (ref WireWriter w, AssignAgents m) =>
        {
            w.Int32(m.HostIndex);
            w.Ints(m.AgentIds);
            w.Ints(m.HostOfAgent);
            WriteRefs(ref w, m.Hosts);
            w.String(m.Fingerprint);
        }, (ref WireReader r) => new AssignAgents(r.Int32(), r.Ints(), r.Ints(), ReadRefs(ref r), r.RequiredString()));
        Add<AgentsRegistered>("rg", (ref WireWriter w, AgentsRegistered m) =>
        {
            w.Int32(m.HostIndex);
            w.Ints(m.AgentIds);
            WriteRefs(ref w, m.Agents);
        }, (ref WireReader r) => new AgentsRegistered(r.Int32(), r.Ints(), ReadRefs(ref r)));
        Add<HostRejected>("hr", (ref WireWriter w, HostRejected m) =>
        {
            w.Int32(m.HostIndex);
            w.String(m.Reason);
        }, (ref WireReader r) => new HostRejected(r.Int32(), r.RequiredString()));
        Add<HostGossip>("hg", (ref WireWriter w, HostGossip m) =>
        {
            w.Ints(m.Targets);
            _payloads.Write(ref w, m.Payload);
        }, (ref WireReader r) =>
        {
            var targets = r.Ints();
            return new HostGossip(_payloads.Read(ref r), targets);
        });
        Add<WireChunk>("ch", (ref WireWriter w, WireChunk m) =>
        {
            w.Int64(m.TransferId);
            w.Int32(m.Index);
            w.Int32(m.Count);
            w.Int32(m.SerializerId);
            w.String(m.Manifest);
            w.Bytes(m.Data);
        }, (ref WireReader r) => new WireChunk(r.Int64(), r.Int32(), r.Int32(), r.Int32(), r.RequiredString(), r.Bytes()));
        Add<RunFinished>("rf", (ref WireWriter w, RunFinished m) => w.String(m.Error), (ref WireReader r) => new RunFinished(r.String()));
        Add<HostWireStats>("ws", (ref WireWriter w, HostWireStats m) =>
        {
            w.Int32(m.HostIndex);
            WriteCounts(ref w, m.Sent);
            WriteCounts(ref w, m.Received);
            w.Int64(m.Dropped);
        }, (ref WireReader r) => new HostWireStats(r.Int32(), ReadCounts(ref r), ReadCounts(ref r)) { Dropped = r.Int64() });
        AddCheckpointMessages();

        AddAsyncProtocol();   // WireMessages.Async.cs
        AddSweepProtocol();   // WireMessages.Sweep.cs
        AddJoinProtocol();    // WireMessages.Join.cs
    }

    /// <summary>Every message type with a layout here (each must be bound to the serializer in hocon/cluster.conf).</summary>
    public static IReadOnlyList<Type> Types { get; } =
    [
        typeof(SetNeighbours), typeof(AgentReady), typeof(StartRound), typeof(GossipMessage), typeof(RoundDone), typeof(Evaluate),
        typeof(EvaluationReport), typeof(EvaluationReportReceived), typeof(EvaluateAverage), typeof(AverageEvaluated), typeof(AgentFailed), typeof(AbortRun), typeof(NeighboursLost),
        typeof(AssignAgents), typeof(AgentsRegistered), typeof(HostRejected), typeof(HostGossip), typeof(WireChunk),
        typeof(RunFinished), typeof(HostWireStats), .. CheckpointTypes, .. AsyncTypes, .. SweepTypes, .. JoinTypes,
    ];

    private void Add<T>(string manifest, WireWrite<T> write, WireRead<T> read) where T : notnull
    {
        var codec = new MessageCodec<T>(manifest, write, read);
        _byType.Add(typeof(T), codec);
        _byManifest.Add(manifest, codec);
    }

    public MessageCodec? TryFor(Type type) => _byType.GetValueOrDefault(type);

    public MessageCodec For(Type type) =>
        TryFor(type) ?? throw new SerializationException($"the wire serializer has no layout for {type.Name}");

    public MessageCodec ForManifest(string manifest) =>
        _byManifest.GetValueOrDefault(manifest) ?? throw new SerializationException($"unknown wire manifest '{manifest}'");

    private static void WriteRef(ref WireWriter w, IActorRef actor) =>
        w.String(actor.IsNobody() ? null : Akka.Serialization.Serialization.SerializedActorPath(actor));

    private IActorRef ReadRef(ref WireReader r)
    {
        string? path = r.String();
        return path is null ? ActorRefs.Nobody : _system.Provider.ResolveActorRef(path);
    }

    private static void WriteRefs(ref WireWriter w, IActorRef[] actors)
    {
        w.Int32(actors.Length);
        foreach (var a in actors) WriteRef(ref w, a);
    }

    private IActorRef[] ReadRefs(ref WireReader r)
    {
        var refs = new IActorRef[r.SequenceCount(4)];
        for (int k = 0; k < refs.Length; k++) refs[k] = ReadRef(ref r);
        return refs;
    }

    private static void WriteCounts(ref WireWriter w, IReadOnlyDictionary<string, long> counts)
    {
        w.Int32(counts.Count);
        foreach (var (key, value) in counts.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            w.String(key);
            w.Int64(value);
        }
    }

    private static Dictionary<string, long> ReadCounts(ref WireReader r)
    {
        int n = r.SequenceCount(12);
        var counts = new Dictionary<string, long>(n, StringComparer.Ordinal);
        for (int k = 0; k < n; k++)
        {
            string key = r.RequiredString();
            counts[key] = r.Int64();
        }
        return counts;
    }
}
