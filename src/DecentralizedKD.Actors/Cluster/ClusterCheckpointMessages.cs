using DecentralizedKD.Core.Checkpoint;

namespace DecentralizedKD.Actors.Cluster;

/// <summary>
/// Agent → its host → coordinator node (chunked when large): the agent's answer to <see cref="SaveAgentState"/> on a
/// cluster host. Hosts share no file system with the coordinator node, so the agent encodes its whole state file
/// (<see cref="AgentCheckpoint.Encode"/>: header, body, checksum — the bytes a single-process run writes) and the
/// coordinator node writes them to RUN/checkpoint/round-R/agent-I.bin before the checkpoint is committed.
/// </summary>
public sealed record AgentStateBytes(int AgentId, StateFileHeader Header, byte[] State);
