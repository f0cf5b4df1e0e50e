using DecentralizedKD.Actors;
using DecentralizedKD.Actors.Hosts;
using DecentralizedKD.Core.Checkpoint;
using DecentralizedKD.Core.Wire;

namespace DecentralizedKD.Hosting.Wire;

// Layouts of the checkpoint messages (Actors/CheckpointMessages.cs, Actors/Cluster/ClusterCheckpointMessages.cs).
// SaveAgentState crosses hosts (coordinator → remote agent); AgentStateBytes goes agent → host → coordinator node,
// chunked when larger than the chunk size (and, resuming on a cluster, RestoreAgentStates the other way); AgentStateSaved stays on the coordinator node (bound so that runs with
// serialize-messages = on exercise it too).
internal sealed partial class WireMessages
{
    private static Type[] CheckpointTypes =>
        [typeof(SaveAgentState), typeof(AgentStateSaved), typeof(AgentStateBytes), typeof(RestoreAgentStates), typeof(AgentStatesRestored)];

    private void AddCheckpointMessages()
    {
        Add<SaveAgentState>("sv", (ref WireWriter w, SaveAgentState m) =>
        {
            w.String(m.Path);
            WriteHeader(ref w, m.Header);
        }, (ref WireReader r) => new SaveAgentState(r.RequiredString(), ReadHeader(ref r)));
        Add<AgentStateSaved>("ss", (ref WireWriter w, AgentStateSaved m) =>
        {
            w.Int32(m.AgentId);
            w.Int32(m.Round);
        }, (ref WireReader r) => new AgentStateSaved(r.Int32(), r.Int32()));
        Add<AgentStateBytes>("sb", WriteState, ReadState);
        Add<RestoreAgentStates>("rs", (ref WireWriter w, RestoreAgentStates m) =>
        {
            w.Int32(m.HostIndex);
            w.Int32(m.States.Length);
            foreach (var state in m.States) WriteState(ref w, state);
        }, (ref WireReader r) =>
        {
            int host = r.Int32();
            var states = new AgentStateBytes[r.SequenceCount(4 + 4 + 12 + 4)];
            for (int k = 0; k < states.Length; k++) states[k] = ReadState(ref r);
            return new RestoreAgentStates(host, states);
        });
        Add<AgentStatesRestored>("rr", (ref WireWriter w, AgentStatesRestored m) => w.Int32(m.HostIndex),
            (ref WireReader r) => new AgentStatesRestored(r.Int32()));
    }

    private static void WriteState(ref WireWriter w, AgentStateBytes m)
    {
        w.Int32(m.AgentId);
        WriteHeader(ref w, m.Header);
        w.Bytes(m.State);
    }

    private static AgentStateBytes ReadState(ref WireReader r) => new(r.Int32(), ReadHeader(ref r), r.Bytes());

    private static void WriteHeader(ref WireWriter w, StateFileHeader h)
    {
        w.String(h.ConfigHash);
        w.Int32((int)h.Owner);
        w.Int32(h.Id);
        w.Int32(h.Round);
    }

    private static StateFileHeader ReadHeader(ref WireReader r) => new(r.RequiredString(), (StateOwner)r.Int32(), r.Int32(), r.Int32());
}
