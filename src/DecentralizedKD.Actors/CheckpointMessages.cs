using DecentralizedKD.Core.Checkpoint;

namespace DecentralizedKD.Actors;

// Messages of the synchronous checkpoint step. Sent only at a round boundary, when no payload is in flight.

/// <summary>Coordinator → agent: write your whole state to <paramref name="Path"/>; answered with <see cref="AgentStateSaved"/>.</summary>
public sealed record SaveAgentState(string Path, StateFileHeader Header);

/// <summary>Agent → coordinator: the state file is written and flushed.</summary>
public sealed record AgentStateSaved(int AgentId, int Round);
