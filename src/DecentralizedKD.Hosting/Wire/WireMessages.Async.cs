using System.Runtime.Serialization;
using DecentralizedKD.Actors.Hosts;
using DecentralizedKD.Core.Simulation;
using DecentralizedKD.Core.Wire;

namespace DecentralizedKD.Hosting.Wire;

/// <summary>
/// Layouts of the asynchronous cluster protocol (Actors/Hosts/AsyncClusterMessages.cs). Observations are tagged
/// records; model snapshots and payloads are raw little-endian float32 (payloads through the codec registry).
/// </summary>
internal sealed partial class WireMessages
{
    // An expression body, not an initializer: Types (in the other part) reads it during static initialisation.
    private static Type[] AsyncTypes => [typeof(HostRunWindow), typeof(HostWindowDone), typeof(HostArrivals)];

    private enum ObservationTag { Evaluated = 1, Delivered, Dropped, Lost, Combined, Churned }

    private void AddAsyncProtocol()
    {
        Add<HostRunWindow>("aw", (ref WireWriter w, HostRunWindow m) =>
        {
            w.Int64(m.Window);
            w.Int64(m.ArrivalBatches);
            w.Int32(m.Agents.Length);
            foreach (var a in m.Agents)
            {
                w.Int32(a.AgentId);
                w.Double(a.End);
            }
        }, (ref WireReader r) =>
        {
            long window = r.Int64();
            long batches = r.Int64();
            var agents = new AgentWindow[r.SequenceCount(12)];
            for (int k = 0; k < agents.Length; k++) agents[k] = new AgentWindow(r.Int32(), r.Double());
            return new HostRunWindow(window, agents, batches);
        });
        Add<HostWindowDone>("ad", (ref WireWriter w, HostWindowDone m) =>
        {
            w.Int32(m.HostIndex);
            w.Int64(m.Window);
            w.Int32(m.Agents.Length);
            foreach (var a in m.Agents)
            {
                w.Int32(a.AgentId);
                w.Double(a.NextEventTime);
                w.Int64(a.BytesSent);
                WriteCounts(ref w, a.BytesByKind);
                w.Int32(a.CompletedIterations);
                w.Double(a.NextSend.Time);
                w.Int32(a.NextSend.FromWindowStart ? 1 : 0);
                w.Int32(a.Observations.Length);
                foreach (var o in a.Observations) WriteObservation(ref w, o);
            }
            w.Int32(m.Due.Length);
            foreach (var d in m.Due)
            {
                w.Int32(d.To);
                w.Double(d.Time);
            }
            w.Ints(m.SentTo);
        }, (ref WireReader r) =>
        {
            int host = r.Int32();
            long window = r.Int64();
            var agents = new AgentWindowReport[r.SequenceCount(44)];
            for (int k = 0; k < agents.Length; k++)
            {
                int id = r.Int32();
                double next = r.Double();
                long bytes = r.Int64();
                var counts = ReadCounts(ref r);
                int completed = r.Int32();
                var bound = new SendBound(r.Double(), Bool(ref r));
                var observations = new AsyncObservation[r.SequenceCount(4)];
                for (int j = 0; j < observations.Length; j++) observations[j] = ReadObservation(ref r);
                agents[k] = new AgentWindowReport(id, observations, next, bytes, counts, completed, bound);
            }
            var due = new ArrivalDue[r.SequenceCount(12)];
            for (int k = 0; k < due.Length; k++) due[k] = new ArrivalDue(r.Int32(), r.Double());
            return new HostWindowDone(host, window, agents, due, r.Ints());
        });
        Add<HostArrivals>("ha", (ref WireWriter w, HostArrivals m) =>
        {
            w.Int64(m.Window);
            w.Int32(m.FromHost);
            w.Int32(m.Bundles.Length);
            foreach (var b in m.Bundles)
            {
                w.Int32(b.From);
                w.Int32(b.Targets.Length);
                foreach (var t in b.Targets)
                {
                    w.Int32(t.To);
                    w.Double(t.Time);
                    w.Int64(t.Sequence);
                }
                _payloads.Write(ref w, b.Payload);
            }
        }, (ref WireReader r) =>
        {
            long window = r.Int64();
            int from = r.Int32();
            var bundles = new ArrivalBundle[r.SequenceCount(8)];
            for (int k = 0; k < bundles.Length; k++)
            {
                int sender = r.Int32();
                var targets = new ArrivalTarget[r.SequenceCount(20)];
                for (int j = 0; j < targets.Length; j++) targets[j] = new ArrivalTarget(r.Int32(), r.Double(), r.Int64());
                bundles[k] = new ArrivalBundle(sender, _payloads.Read(ref r), targets);
            }
            return new HostArrivals(window, from, bundles);
        });
    }

    private static void WriteObservation(ref WireWriter w, AsyncObservation o)
    {
        switch (o)
        {
            case AsyncObservation.Evaluated e:
                w.Int32((int)ObservationTag.Evaluated);
                w.Int32(e.Agent);
                w.Int32(e.Completed);
                w.Double(e.Time);
                w.Double(e.Accuracy);
                w.Floats(e.Parameters);
                w.Double(e.LossSum);
                w.Int32(e.Iterations);
                w.Int64(e.BytesSent);
                break;
            case AsyncObservation.Delivered d:
                w.Int32((int)ObservationTag.Delivered);
                w.Int32(d.From);
                w.Int32(d.To);
                w.Int32(d.Round);
                w.Double(d.SendTime);
                w.Double(d.ArrivalTime);
                w.Int64(d.Bytes);
                break;
            case AsyncObservation.Dropped d:
                w.Int32((int)ObservationTag.Dropped);
                w.Int32(d.From);
                w.Int32(d.To);
                w.Int32(d.Round);
                w.Double(d.SendTime);
                break;
            case AsyncObservation.Lost l:
                w.Int32((int)ObservationTag.Lost);
                w.Int32(l.From);
                w.Int32(l.To);
                w.Int32(l.Round);
                w.Double(l.Time);
                break;
            case AsyncObservation.Combined c:
                w.Int32((int)ObservationTag.Combined);
                w.Int32(c.Agent);
                w.Int32(c.Iteration);
                w.Double(c.Time);
                w.Ints(c.Staleness);
                w.Int32(c.TimedOut ? 1 : 0);
                break;
            case AsyncObservation.Churned c:
                w.Int32((int)ObservationTag.Churned);
                w.Int32(c.Agent);
                w.Double(c.Time);
                w.Int32(c.Online ? 1 : 0);
                break;
            default:
                throw new SerializationException($"the wire serializer has no layout for observation {o.GetType().Name}");
        }
    }

    private static AsyncObservation ReadObservation(ref WireReader r) => (ObservationTag)r.Int32() switch
    {
        ObservationTag.Evaluated => new AsyncObservation.Evaluated(r.Int32(), r.Int32(), r.Double(), r.Double(), r.Floats(), r.Double(), r.Int32(), r.Int64()),
        ObservationTag.Delivered => new AsyncObservation.Delivered(r.Int32(), r.Int32(), r.Int32(), r.Double(), r.Double(), r.Int64()),
        ObservationTag.Dropped => new AsyncObservation.Dropped(r.Int32(), r.Int32(), r.Int32(), r.Double()),
        ObservationTag.Lost => new AsyncObservation.Lost(r.Int32(), r.Int32(), r.Int32(), r.Double()),
        ObservationTag.Combined => new AsyncObservation.Combined(r.Int32(), r.Int32(), r.Double(), r.Ints(), Bool(ref r)),
        ObservationTag.Churned => new AsyncObservation.Churned(r.Int32(), r.Double(), Bool(ref r)),
        var tag => throw new SerializationException($"wire message: unknown observation tag {(int)tag}"),
    };

    private static bool Bool(ref WireReader r) => r.Int32() switch
    {
        0 => false,
        1 => true,
        var v => throw new SerializationException($"wire message: {v} is not a boolean"),
    };
}
