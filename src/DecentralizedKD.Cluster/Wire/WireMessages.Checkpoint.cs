using DecentralizedKD.Actors;
using DecentralizedKD.Actors.Cluster;
using DecentralizedKD.Core.Checkpoint;

namespace DecentralizedKD.Cluster.Wire;

// Layouts of the checkpoint messages (Actors/CheckpointMessages.cs, Actors/Cluster/ClusterCheckpointMessages.cs).
// SaveAgentState crosses hosts (coordinator → remote agent); AgentStateBytes goes agent → host → coordinator node,
// chunked when larger than the chunk size; AgentStateSaved stays on the coordinator node (bound so that runs with
// serialize-messages = on exercise it too).
internal sealed partial class WireMessages
{
    private static Type[] CheckpointTypes => [typeof(SaveAgentState), typeof(AgentStateSaved), typeof(AgentStateBytes)];

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
        Add<AgentStateBytes>("sb", (ref WireWriter w, AgentStateBytes m) =>
        {
            w.Int32(m.AgentId);
            WriteHeader(ref w, m.Header);
            w.Bytes(m.State);
        }, (ref WireReader r) => new AgentStateBytes(r.Int32(), ReadHeader(ref r), r.Bytes()));
    }

    private static void WriteHeader(ref WireWriter w, StateFileHeader h)
    {
        w.String(h.ConfigHash);
        w.Int32((int)h.Owner);
        w.Int32(h.Id);
        w.Int32(h.Round);
    }

    private static StateFileHeader ReadHeader(ref WireReader r) => new(r.RequiredString(), (StateOwner)r.Int32(), r.Int32(), r.Int32());
}
