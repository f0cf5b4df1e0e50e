using DecentralizedKD.Core.Wire;

namespace DecentralizedKD.Core.Simulation;

/// <summary>
/// Holds the observations of a windowed run until they are final, then replays them into the run's sink (metrics,
/// counters, events.jsonl) in the canonical order: virtual time, then observing agent, then the order the agent made
/// them — the order of the exact one-event-at-a-time simulation (<see cref="AsyncSimulation"/>). Agents move through
/// virtual time at different speeds (each up to its own horizon), so an observation is final only once no agent has
/// anything pending before its time. The order therefore never depends on how the driver cut time into windows.
/// </summary>
public sealed class ObservationBuffer
{
    private readonly PriorityQueue<AsyncObservation, (double At, int Agent, long Index)> _held = new();
    private readonly long[] _emitted;

    public ObservationBuffer(int agents) => _emitted = new long[agents];

    public int Count => _held.Count;

    /// <summary>An agent's observations of one window, in the order it made them.</summary>
    public void Add(int agent, IReadOnlyList<AsyncObservation> observations)
    {
        foreach (var o in observations) _held.Enqueue(o, (o.At, agent, _emitted[agent]++));
    }

    /// <summary>Replays every observation made before <paramref name="frontier"/> (no agent has an event pending before it).</summary>
    public void ReplayBefore(double frontier, IAsyncObserver sink)
    {
        while (_held.TryPeek(out var o, out var key) && key.At < frontier)
        {
            _held.Dequeue();
            o.ReplayTo(sink);
        }
    }

    /// <summary>The run is over: replay the rest.</summary>
    public void ReplayAll(IAsyncObserver sink) => ReplayBefore(double.PositiveInfinity, sink);

    /// <summary>A checkpoint between windows keeps what is not final yet, with its keys, and each agent's count.</summary>
    public void SaveState(BinaryWriter w)
    {
        w.Write(_emitted.Length);
        foreach (long n in _emitted) w.Write(n);
        var items = _held.UnorderedItems.OrderBy(x => x.Priority).ToArray();
        w.Write(items.Length);
        foreach (var (o, key) in items)
        {
            w.Write(key.Agent);
            w.Write(key.Index);
            var measure = WireWriter.Measure();
            ObservationCodec.Write(ref measure, o);
            var bytes = new byte[measure.Position];
            var writer = new WireWriter(bytes);
            ObservationCodec.Write(ref writer, o);
            w.Write(bytes.Length);
            w.Write(bytes);
        }
    }

    public void LoadState(BinaryReader r)
    {
        if (_held.Count > 0) throw new InvalidOperationException("observations can only be restored into an empty buffer");
        int agents = r.ReadInt32();
        if (agents != _emitted.Length) throw new InvalidDataException($"observation buffer of {agents} agents, this run has {_emitted.Length}");
        for (int i = 0; i < agents; i++) _emitted[i] = r.ReadInt64();
        for (int n = r.ReadInt32(); n > 0; n--)
        {
            int agent = r.ReadInt32();
            long index = r.ReadInt64();
            if (agent < 0 || agent >= agents) throw new InvalidDataException($"held observation of agent {agent}");
            var o = ReadObservation(r);
            _held.Enqueue(o, (o.At, agent, index));
        }
    }

    /// <summary>One observation in its wire layout, length-prefixed; a damaged one is refused, never half-read.</summary>
    private static AsyncObservation ReadObservation(BinaryReader r)
    {
        int length = r.ReadInt32();
        byte[] bytes = r.ReadBytes(Math.Max(0, length));
        if (length < 0 || bytes.Length != length) throw new InvalidDataException("held observation: truncated");
        try
        {
            var reader = new WireReader(bytes);
            var o = ObservationCodec.Read(ref reader);
            reader.End();
            return o;
        }
        catch (System.Runtime.Serialization.SerializationException e) { throw new InvalidDataException($"held observation: {e.Message}"); }
    }
}
