using DecentralizedKD.Core.Algorithms;
using DecentralizedKD.Core.Algorithms.Registry;
using DecentralizedKD.Core.Simulation;
using DecentralizedKD.Core.Wire;
using DecentralizedKD.Core.State;

namespace DecentralizedKD.Core.Training;

/// <summary>
/// An asynchronous agent's checkpoint, taken between two virtual-time windows (the agent is usually mid-iteration):
/// the algorithm's state and its iteration state, the agent's phase, iteration, exchange and resume action, the
/// freshest round heard per (exchange, neighbour), its own event sequence number, evaluation-window loss, byte
/// counters, its outgoing link streams, and every pending event — own timers and the arrivals of messages still in
/// flight (the coordinator routes them into the queue before the save), each with its (time, sender, sequence) key.
/// </summary>
public sealed partial class AsyncAgent
{
    /// <summary>True once <see cref="LoadState"/> has restored this agent (it must not be started again).</summary>
    public bool Restored { get; private set; }

    public void SaveState(BinaryWriter w)
    {
        w.WriteTag("async-agent");
        w.Write(_id);
        CheckpointSupport.StateOf(_runtime.Algorithm).SaveState(w);
        CheckpointSupport.IterationStateOf(_runtime.Algorithm).SaveIterationState(w);
        w.Write((int)_phase);
        w.Write((int)_resume);
        w.Write(_iteration);
        w.Write(_exchange);
        w.Write(_sequence);
        w.Write(_lossSinceEval);
        w.Write(_iterationsSinceEval);
        w.Write(_bytesSent);
        w.Write(BytesByKind.Count);
        foreach (var (kind, bytes) in BytesByKind.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            w.Write(kind);
            w.Write(bytes);
        }
        w.Write(_latestRound.Count);
        foreach (var ((exchange, sender), round) in _latestRound.OrderBy(kv => kv.Key))
        {
            w.Write(exchange);
            w.Write(sender);
            w.Write(round);
        }
        _links.SaveState(w);
        var pending = Queue.InOrder();
        w.Write(pending.Count);
        foreach (var e in pending) WriteEvent(w, e);
    }

    /// <summary>Restores a freshly built agent (never started) to the saved state.</summary>
    public void LoadState(BinaryReader r)
    {
        if (Restored || Queue.Count > 0) throw new InvalidOperationException($"agent {_id}: state can only be loaded into a fresh agent");
        r.ExpectTag("async-agent");
        int id = r.ReadInt32();
        if (id != _id) throw new InvalidDataException($"state of agent {id}, loading agent {_id}");
        CheckpointSupport.StateOf(_runtime.Algorithm).LoadState(r);
        CheckpointSupport.IterationStateOf(_runtime.Algorithm).LoadIterationState(r);
        _phase = Enum<Phase>(r.ReadInt32(), "phase");
        _resume = Enum<ResumeAction>(r.ReadInt32(), "resume action");
        _iteration = r.ReadInt32();
        _exchange = r.ReadInt32();
        _sequence = r.ReadInt64();
        _lossSinceEval = r.ReadDouble();
        _iterationsSinceEval = r.ReadInt32();
        _bytesSent = r.ReadInt64();
        BytesByKind.Clear();
        for (int n = r.ReadCount(9, "byte kinds"); n > 0; n--) BytesByKind[r.ReadString()] = r.ReadInt64();
        _latestRound.Clear();
        for (int n = r.ReadCount(12, "latest rounds"); n > 0; n--) _latestRound[(r.ReadInt32(), r.ReadInt32())] = r.ReadInt32();
        _links.LoadState(r);
        for (int n = r.ReadCount(21, "pending events"); n > 0; n--) Queue.Enqueue(ReadEvent(r));
        // The send bound's inputs are the pending timers themselves, so they need no place in the file.
        foreach (var e in Queue.InOrder())
        {
            if (e.Item is AgentEvent.StepFinished f && f.Iteration == _iteration && e.Sender == _id) _stepEnd = e.Time;
            if (e.Item is AgentEvent.ChurnChange && e.Sender == _id) _nextChurn = Math.Min(_nextChurn, e.Time);
        }
        Restored = true;
    }

    private static void WriteEvent(BinaryWriter w, SimEvent<AgentEvent> e)
    {
        w.Write(e.Time);
        w.Write(e.Sender);
        w.Write(e.Sequence);
        switch (e.Item)
        {
            case AgentEvent.StepFinished f: w.Write((byte)1); w.Write(f.Iteration); break;
            case AgentEvent.Arrival a: w.Write((byte)2); PayloadState.Write(w, a.Payload); break;
            case AgentEvent.WaitTimeout t: w.Write((byte)3); w.Write(t.Iteration); w.Write(t.Exchange); break;
            case AgentEvent.ChurnChange: w.Write((byte)4); break;
            default: throw new NotSupportedException($"event {e.Item.GetType().Name} cannot be checkpointed");
        }
    }

    private static SimEvent<AgentEvent> ReadEvent(BinaryReader r)
    {
        double time = r.ReadDouble();
        int sender = r.ReadInt32();
        long sequence = r.ReadInt64();
        AgentEvent item = r.ReadByte() switch
        {
            1 => new AgentEvent.StepFinished(r.ReadInt32()),
            2 => new AgentEvent.Arrival(PayloadState.Read(r)),
            3 => new AgentEvent.WaitTimeout(r.ReadInt32(), r.ReadInt32()),
            4 => new AgentEvent.ChurnChange(),
            var k => throw new InvalidDataException($"unknown event kind {k}"),
        };
        return new SimEvent<AgentEvent>(time, sender, sequence, item);
    }

    private static T Enum<T>(int value, string what) where T : struct, System.Enum =>
        System.Enum.IsDefined(typeof(T), value) ? (T)(object)value : throw new InvalidDataException($"{what}: unknown value {value}");
}
