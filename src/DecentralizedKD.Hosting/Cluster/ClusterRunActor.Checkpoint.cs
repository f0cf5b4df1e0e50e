using Akka.Actor;
using DecentralizedKD.Actors;
using DecentralizedKD.Actors.Hosts;
using DecentralizedKD.Core.Runtime;

namespace DecentralizedKD.Hosting.Cluster;

/// <summary>
/// Checkpoints on a cluster: the coordinator (unchanged) asks each agent to save its state; a remote agent ships its
/// state file's bytes instead (<see cref="AgentStateBytes"/>), this actor writes them on the coordinator node's disk
/// and tells the coordinator the agent's state is saved; the coordinator then commits as in a single-process run.
/// Resuming, each host first gets its agents' state files (<see cref="RestoreAgentStates"/>) and its assignment only
/// once it has acknowledged them.
/// </summary>
public sealed partial class ClusterRunActor
{
    private bool[] _restored = [];

    private bool Resuming => _settings.Coordinator.ResumeFrom is not null;

    /// <summary>Whether host k may be assigned its agents (resuming: only once it holds their states).</summary>
    private bool Restored(int k) => !Resuming || _restored[k];

    /// <summary>Resuming: sends every host the state files of its agents, read from the committed checkpoint (checked before the run).</summary>
    private void SendRestores()
    {
        _restored = new bool[_hosts.Length];
        if (!Resuming) return;
        var checkpoints = _settings.Coordinator.Checkpoints!;
        int round = _settings.Coordinator.ResumeFrom!.CompletedRounds;
        for (int k = 0; k < _hosts.Length; k++)
        {
            AgentStateBytes[] states;
            try
            {
                states = _agentsOf[k].Select(i => new AgentStateBytes(i, checkpoints.AgentHeader(round, i), File.ReadAllBytes(checkpoints.AgentFile(round, i)))).ToArray();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Fail($"cannot read the checkpoint of round {round}: {e.Message}");
                return;
            }
            _link.Send(_hosts[k], new RestoreAgentStates(k, states), Self);
        }
    }

    private void OnRestored(AgentStatesRestored m)
    {
        if (m.HostIndex < 0 || m.HostIndex >= _restored.Length || _restored[m.HostIndex]) return;
        _restored[m.HostIndex] = true;
        SendAssignments();
    }

    private void OnAgentState(AgentStateBytes m)
    {
        if (_coordinator is null || _result is not null) return;   // the run is over: the checkpoint is not committed
        string? error = _checkpointWriter is null
            ? $"agent {m.AgentId} sent its state but this run writes no checkpoints"
            : _checkpointWriter.Write(m);
        if (error is null) _coordinator.Tell(new AgentStateSaved(m.AgentId, m.Header.Round));
        else _coordinator.Tell(new AbortRun(error));
    }

    /// <summary>A failed run with checkpoints names the checkpoint it leaves behind and how to continue from it.</summary>
    private RunResult WithResumeHint(RunResult result) =>
        result.Error is null || _checkpointWriter is null ? result : result with { Error = $"{result.Error}; {_checkpointWriter.ResumeHint()}" };
}
