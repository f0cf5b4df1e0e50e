using Akka.Actor;
using DecentralizedKD.Actors;
using DecentralizedKD.Actors.Cluster;

namespace DecentralizedKD.Cluster.Hosting;

/// <summary>
/// Checkpoints on a cluster: the coordinator (unchanged) asks each agent to save its state; a remote agent ships its
/// state file's bytes instead (<see cref="AgentStateBytes"/>), this actor writes them on the coordinator node's disk
/// and tells the coordinator the agent's state is saved; the coordinator then commits as in a single-process run.
/// </summary>
public sealed partial class ClusterRunActor
{
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
