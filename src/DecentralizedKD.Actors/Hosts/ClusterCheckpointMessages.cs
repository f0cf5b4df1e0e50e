using DecentralizedKD.Core.Checkpoint;

namespace DecentralizedKD.Actors.Hosts;

/// <summary>
/// Agent → its host → coordinator node (chunked when large): the agent's answer to <see cref="SaveAgentState"/> on a
/// cluster host. Hosts share no file system with the coordinator node, so the agent encodes its whole state file
/// (<see cref="AgentCheckpoint.Encode"/>: header, body, checksum — the bytes a single-process run writes) and the
/// coordinator node writes them to RUN/checkpoint/round-R/agent-I.bin before the checkpoint is committed.
/// </summary>
public sealed record AgentStateBytes(int AgentId, StateFileHeader Header, byte[] State);

/// <summary>
/// Coordinator node → worker host, when a cluster run resumes from a checkpoint: the state files of the agents placed
/// on the host (read from the coordinator node's disk; chunked when large). Sent once, before the host's
/// <see cref="AssignAgents"/>: the host keeps them and each agent loads its own when it is created.
/// </summary>
public sealed record RestoreAgentStates(int HostIndex, AgentStateBytes[] States);

/// <summary>Host → coordinator node: the states are kept; the coordinator node now sends the host its assignment.</summary>
public sealed record AgentStatesRestored(int HostIndex);
