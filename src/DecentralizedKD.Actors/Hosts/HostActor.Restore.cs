using Akka.Actor;
using DecentralizedKD.Core.Checkpoint;
using DecentralizedKD.Core.Training;

namespace DecentralizedKD.Actors.Hosts;

/// <summary>
/// Resuming a cluster run: the coordinator node ships the host its agents' state files first
/// (<see cref="RestoreAgentStates"/>) and assigns the agents only once the host has acknowledged them, so every agent
/// is created knowing its state and loads it on its own compute thread — no race with the assignment.
/// </summary>
public sealed partial class HostActor
{
    private readonly Dictionary<int, AgentStateBytes> _restore = [];

    private void OnRestore(RestoreAgentStates m)
    {
        if (Assignment is null)
            foreach (var state in m.States) _restore[state.AgentId] = state;
        Sender.Tell(new AgentStatesRestored(m.HostIndex));
    }

    /// <summary>How agent <paramref name="id"/> is built: fresh, or (resuming) with the state the coordinator node sent.</summary>
    private Func<IAgentRuntime> AgentFactory(int id)
    {
        var create = _createAgent;
        if (!_restore.TryGetValue(id, out var state)) return () => create(id);
        return () =>
        {
            var agent = create(id);
            try
            {
                AgentCheckpoint.Load(state.State, $"agent-{id}.bin of round {state.Header.Round} (from the coordinator node)", state.Header, agent.Algorithm);
                return agent;
            }
            catch
            {
                agent.Dispose();
                throw;
            }
        };
    }
}
