using Akka.Actor;
using DecentralizedKD.Core.Algorithms;
using DecentralizedKD.Core.Checkpoint;
using DecentralizedKD.Core.Training;
using DecentralizedKD.Core.Wire;

namespace DecentralizedKD.Actors;

/// <summary>
/// One learning agent. It owns its <see cref="IAgentRuntime"/> (model, optimizer, data view, RNG) and runs each
/// step synchronously inside one message on the compute dispatcher. Payloads from neighbours for a later round or phase
/// are buffered by (round, phase), so message races cannot change the result; combining happens only when all of the round's
/// payloads are in; an iteration with several exchanges (phases) runs them in order.
/// </summary>
public sealed class AgentActor : ReceiveActor
{
    private readonly int _id;
    private readonly Func<IAgentRuntime> _createRuntime;
    private readonly IActorRef _coordinator;
    private readonly IGossipOutbox _outbox;
    private readonly bool _shipsState;
    private IAgentRuntime? _runtime;
    private IReadOnlyDictionary<int, IActorRef> _neighbours = new Dictionary<int, IActorRef>();
    private readonly Dictionary<(int Round, int Phase), List<Payload>> _pending = [];
    // Neighbours gone for good (their cluster host was lost, cluster.on-host-loss = continue): nothing is sent to them
    // or awaited from them any more.
    private readonly HashSet<int> _lostNeighbours = [];
    private int _round = -1;
    private int _phase;
    private bool _workDone;
    private long _bytes;
    private Dictionary<string, long> _bytesByKind = [];

    /// <param name="shipsState">On a cluster host: answer <see cref="SaveAgentState"/> with the state file's bytes
    /// (<see cref="Hosts.AgentStateBytes"/>, to <paramref name="coordinator"/>, the host) instead of writing the file here.</param>
    public AgentActor(int id, Func<IAgentRuntime> createRuntime, IActorRef coordinator, IGossipOutbox? outbox = null, bool shipsState = false)
    {
        _shipsState = shipsState;
        _id = id;
        _createRuntime = createRuntime;
        _coordinator = coordinator;
        _outbox = outbox ?? DirectOutbox.Instance;
        Receive<SetNeighbours>(m => Guarded(() => OnSetNeighbours(m)));
        Receive<StartRound>(m => Guarded(() => OnStartRound(m)));
        Receive<GossipMessage>(m => Guarded(() => OnGossip(m)));
        Receive<Evaluate>(m => Guarded(() => OnEvaluate(m)));
        Receive<SaveAgentState>(m => Guarded(() => OnSaveState(m)));
        Receive<NeighboursLost>(m => Guarded(() => OnNeighboursLost(m)));
    }

    public static Props Props(int id, Func<IAgentRuntime> createRuntime, IActorRef coordinator, string? dispatcher, IGossipOutbox? outbox = null,
        bool shipsState = false)
    {
        var props = Akka.Actor.Props.Create(() => new AgentActor(id, createRuntime, coordinator, outbox, shipsState));
        return dispatcher is null ? props : props.WithDispatcher(dispatcher);
    }

    private IAgentRuntime Runtime => _runtime ?? throw new InvalidOperationException("agent not initialised");

    private void OnSetNeighbours(SetNeighbours m)
    {
        TorchThreads.EnsureSingleThreaded();
        _runtime ??= _createRuntime();
        _neighbours = m.Neighbours;
        Sender.Tell(new AgentReady(_id));
    }

    private void OnStartRound(StartRound m)
    {
        TorchThreads.EnsureSingleThreaded();
        _round = m.Round;
        _phase = 0;
        _workDone = false;
        _bytes = 0;
        _bytesByKind = [];
        Runtime.Algorithm.LocalWork(_round);
        SendPhase();
        _workDone = true;
        TryCombine();
    }

    private void SendPhase()
    {
        var algorithm = Runtime.Algorithm;
        var outgoing = new List<OutgoingGossip>(_neighbours.Count);
        // A time-varying schedule names this round's recipients among every peer the agent was given.
        var recipients = Runtime.Recipients(_round, _phase)?.Select(j => new KeyValuePair<int, IActorRef>(j, _neighbours[j]))
            ?? _neighbours.OrderBy(kv => kv.Key);
        foreach (var (j, actor) in recipients)
        {
            if (_lostNeighbours.Contains(j)) continue;
            var payload = algorithm.Outgoing(_round, _phase, j);
            if (payload is null) continue;
            _bytes += payload.Bytes;
            _bytesByKind[payload.Kind] = _bytesByKind.GetValueOrDefault(payload.Kind) + payload.Bytes;
            outgoing.Add(new OutgoingGossip(j, actor, payload));
        }
        _outbox.Send(outgoing, Self);
    }

    private void OnGossip(GossipMessage m)
    {
        if (_lostNeighbours.Contains(m.Payload.Sender)) return;
        var key = (m.Payload.Round, m.Payload.Phase);
        if (!_pending.TryGetValue(key, out var list)) _pending[key] = list = [];
        list.Add(m.Payload);
        if (_workDone) TryCombine();
    }

    /// <summary>Combines every phase whose payloads are all in; after the last phase the round is reported done.</summary>
    private void TryCombine()
    {
        var algorithm = Runtime.Algorithm;
        while (true)
        {
            var key = (_round, _phase);
            int expected = algorithm.ExpectedPayloads(_round, _phase);
            // Every exchange that expects payloads expects one from each neighbour: none comes from a lost one.
            if (expected > 0) expected = Math.Max(0, expected - _lostNeighbours.Count);
            var arrived = _pending.GetValueOrDefault(key);
            if ((arrived?.Count ?? 0) < expected) return;
            TorchThreads.EnsureSingleThreaded();
            // Deliver in sender order: the algorithm's result must not depend on arrival order.
            foreach (var p in (arrived ?? []).OrderBy(p => p.Sender)) algorithm.Receive(p);
            _pending.Remove(key);
            algorithm.Combine(_round, _phase);
            if (++_phase < algorithm.Phases(_round))
            {
                SendPhase();
                continue;
            }
            _workDone = false;
            _coordinator.Tell(new RoundDone(_id, _round, algorithm.LastLoss, _bytes, _bytesByKind));
            return;
        }
    }

    /// <summary>
    /// From now on these neighbours neither get nor send payloads; the algorithm combines without them as it does in
    /// asynchronous runs with an offline neighbour. Payloads of theirs not yet combined are dropped, so what is combined
    /// does not depend on whether a payload of theirs raced the loss.
    /// </summary>
    private void OnNeighboursLost(NeighboursLost m)
    {
        bool first = _lostNeighbours.Count == 0;
        foreach (int j in m.AgentIds)
            if (_neighbours.ContainsKey(j)) _lostNeighbours.Add(j);
        if (_lostNeighbours.Count == 0) return;
        if (first) Runtime.Algorithm.UseSelfForMissingNeighbours();
        foreach (var list in _pending.Values) list.RemoveAll(p => _lostNeighbours.Contains(p.Sender));
        if (_workDone) TryCombine();
    }

    private void OnEvaluate(Evaluate m)
    {
        TorchThreads.EnsureSingleThreaded();
        double accuracy = Runtime.SampledAccuracy(m.CompletedRounds);
        // An evaluation only follows the round barrier: the outgoing snapshot can go back to the pool, and the report's
        // copy takes its place (so an evaluation adds no parameter-sized buffer per agent). Not on a cluster host, whose
        // host actor serializes the report later: there it is a plain array.
        Runtime.Algorithm.RoundClosed(m.CompletedRounds - 1);
        var parameters = Runtime.Algorithm.Parameters;
        var pooled = _shipsState ? null : Runtime.BufferPool?.Rent(parameters.Length);
        var copy = pooled?.Array ?? new float[parameters.Length];
        parameters.CopyTo(copy);
        // To the coordinator (not Sender): on a cluster host that is the host actor, which relays large reports in chunks.
        _coordinator.Tell(new EvaluationReport(_id, m.CompletedRounds, accuracy, copy) { Buffer = pooled });
    }

    /// <summary>Checkpoint: the agent writes its own state on its own thread (the runtime is never touched elsewhere).</summary>
    private void OnSaveState(SaveAgentState m)
    {
        if (_shipsState)
        {
            // m.Path is on the coordinator node's disk, not this host's: the coordinator node writes the bytes there.
            _coordinator.Tell(new Hosts.AgentStateBytes(_id, m.Header, AgentCheckpoint.Encode(m.Header, Runtime.Algorithm)));
            return;
        }
        AgentCheckpoint.Save(m.Path, m.Header, Runtime.Algorithm);
        Sender.Tell(new AgentStateSaved(_id, m.Header.Round));
    }

    /// <summary>Any exception ends the run with a message naming this agent and round (never a silent hang).</summary>
    private void Guarded(Action action)
    {
        try { action(); }
        catch (Exception e)
        {
            _coordinator.Tell(new AgentFailed(_id, _round, $"{e.GetType().Name}: {e.Message}"));
            Context.Stop(Self);
        }
    }

    protected override void PostStop() => _runtime?.Dispose();
}
