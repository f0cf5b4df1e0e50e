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
                w.Bool(a.NextSend.FromWindowStart);
                w.Int32(a.Observations.Length);
                foreach (var o in a.Observations) ObservationCodec.Write(ref w, o);
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
                var bound = new SendBound(r.Double(), r.Bool());
                var observations = new AsyncObservation[r.SequenceCount(4)];
                for (int j = 0; j < observations.Length; j++) observations[j] = ObservationCodec.Read(ref r);
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
}
