using DecentralizedKD.Actors.Hosts;
using DecentralizedKD.Core.Simulation;
using DecentralizedKD.Core.Wire;
using static DecentralizedKD.Core.Wire.WireFormats;

namespace DecentralizedKD.Hosting.Wire;

/// <summary>
/// Layouts of the asynchronous cluster protocol (Actors/Hosts/AsyncClusterMessages.cs). Observations are tagged
/// records (<see cref="ObservationCodec"/>); model snapshots and payloads are raw little-endian float32 (payloads
/// through the codec registry).
/// </summary>
internal sealed partial class WireMessages
{
    private void DeclareAsyncProtocol()
    {
        var agentWindow = Record<AgentWindow>()
            .Field(a => a.AgentId, Int).Field(a => a.End, Float64)
            .Build((agent, end) => new AgentWindow(agent, end));
        Declare("aw", Record<HostRunWindow>()
            .Field(m => m.Window, Long).Field(m => m.ArrivalBatches, Long).Field(m => m.Agents, ArrayOf(agentWindow))
            .Build((window, batches, agents) => new HostRunWindow(window, agents, batches)));

        var sendBound = Record<SendBound>()
            .Field(b => b.Time, Float64).Field(b => b.FromWindowStart, Bool)
            .Build((time, fromWindowStart) => new SendBound(time, fromWindowStart));
        var agentReport = Record<AgentWindowReport>()
            .Field(a => a.AgentId, Int).Field(a => a.NextEventTime, Float64).Field(a => a.BytesSent, Long).Field(a => a.BytesByKind, Counts)
            .Field(a => a.CompletedIterations, Int).Field(a => a.NextSend, sendBound).Field(a => a.Observations, ArrayOf(ObservationCodec.Format))
            .Build((agent, next, bytesSent, byKind, completed, nextSend, observations) =>
                new AgentWindowReport(agent, observations, next, bytesSent, byKind, completed, nextSend));
        var due = Record<ArrivalDue>()
            .Field(d => d.To, Int).Field(d => d.Time, Float64)
            .Build((to, time) => new ArrivalDue(to, time));
        Declare("ad", Record<HostWindowDone>()
            .Field(m => m.HostIndex, Int).Field(m => m.Window, Long).Field(m => m.Agents, ArrayOf(agentReport))
            .Field(m => m.Due, ArrayOf(due)).Field(m => m.SentTo, Ints)
            .Build((host, window, agents, arrivalsDue, sentTo) => new HostWindowDone(host, window, agents, arrivalsDue, sentTo)));

        var target = Record<ArrivalTarget>()
            .Field(t => t.To, Int).Field(t => t.Time, Float64).Field(t => t.Sequence, Long)
            .Build((to, time, sequence) => new ArrivalTarget(to, time, sequence));
        var bundle = Record<ArrivalBundle>()
            .Field(b => b.From, Int).Field(b => b.Targets, ArrayOf(target)).Field(b => b.Payload, _payload)
            .Build((from, targets, payload) => new ArrivalBundle(from, payload, targets));
        Declare("ha", Record<HostArrivals>()
            .Field(m => m.Window, Long).Field(m => m.FromHost, Int).Field(m => m.Bundles, ArrayOf(bundle))
            .Build((window, fromHost, bundles) => new HostArrivals(window, fromHost, bundles)));
    }
}
