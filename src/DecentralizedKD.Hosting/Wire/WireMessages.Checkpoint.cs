using DecentralizedKD.Actors;
using DecentralizedKD.Actors.Hosts;
using DecentralizedKD.Core.Checkpoint;
using DecentralizedKD.Core.Wire;
using static DecentralizedKD.Core.Wire.WireFormats;

namespace DecentralizedKD.Hosting.Wire;

// Layouts of the checkpoint messages (Actors/CheckpointMessages.cs, Actors/Cluster/ClusterCheckpointMessages.cs).
// SaveAgentState crosses hosts (coordinator → remote agent); AgentStateBytes goes agent → host → coordinator node,
// chunked when larger than the chunk size (and, resuming on a cluster, RestoreAgentStates the other way); AgentStateSaved stays on the coordinator node (bound so that runs with
// serialize-messages = on exercise it too).
internal sealed partial class WireMessages
{
    private static readonly WireFormat<StateFileHeader> StateHeader = Record<StateFileHeader>()
        .Field(h => h.ConfigHash, RequiredString).Field(h => h.Owner, Int.Converted(owner => (StateOwner)owner, owner => (int)owner))
        .Field(h => h.Id, Int).Field(h => h.Round, Int)
        .Build((configHash, owner, id, round) => new StateFileHeader(configHash, owner, id, round));

    private static readonly WireFormat<AgentStateBytes> AgentState = Record<AgentStateBytes>()
        .Field(m => m.AgentId, Int).Field(m => m.Header, StateHeader).Field(m => m.State, Bytes)
        .Build((agent, header, state) => new AgentStateBytes(agent, header, state));

    private void DeclareCheckpointMessages()
    {
        Declare("sv", Record<SaveAgentState>()
            .Field(m => m.Path, RequiredString).Field(m => m.Header, StateHeader)
            .Build((path, header) => new SaveAgentState(path, header)));
        Declare("ss", Record<AgentStateSaved>()
            .Field(m => m.AgentId, Int).Field(m => m.Round, Int)
            .Build((agent, round) => new AgentStateSaved(agent, round)));
        Declare("sb", AgentState);
        Declare("rs", Record<RestoreAgentStates>()
            .Field(m => m.HostIndex, Int).Field(m => m.States, ArrayOf(AgentState))
            .Build((host, states) => new RestoreAgentStates(host, states)));
        Declare("rr", Record<AgentStatesRestored>().Field(m => m.HostIndex, Int).Build(host => new AgentStatesRestored(host)));
    }
}
