using Akka.Actor;
using DecentralizedKD.Core.Runtime;

namespace DecentralizedKD.Actors;

/// <summary>
/// <c>cluster.on-host-loss = continue</c> (synchronous mode): the agents of a lost host are churned for good. The
/// coordinator stops waiting for them (round barrier, evaluation), leaves them out of the row statistics from then on,
/// and tells each of their live neighbours, which stop sending to them and combine without them as an asynchronous run
/// combines without an offline neighbour (latest payload received, or the agent's own weight if none ever came).
/// </summary>
public sealed partial class CoordinatorActor
{
    private bool[]? _lost;
    private readonly List<HostLoss> _hostLosses = [];

    private bool IsLost(int agent) => _lost?[agent] == true;

    /// <summary>Agent ids still in the run, ascending.</summary>
    private IEnumerable<int> LiveAgents() => Enumerable.Range(0, _settings.Agents).Where(i => !IsLost(i));

    private int _lostCount;

    private int LiveAgentCount => _settings.Agents - _lostCount;

    private void OnAgentsLost(AgentsLost m)
    {
        if (_finished) return;
        var ids = m.AgentIds.Where(i => i >= 0 && i < _settings.Agents && !IsLost(i)).Order().ToArray();
        if (ids.Length == 0) return;
        if (ids.Any(i => i >= _settings.LearnerCount))
        {
            Fail($"{m.Reason} in round {_round}; it held the server (agent {_settings.LearnerCount}), without which the run cannot continue");
            return;
        }
        _lost ??= new bool[_settings.Agents];
        foreach (int i in ids)
        {
            _lost[i] = true;
            _lostCount++;
            // The barrier and the evaluation stop waiting for them.
            if (_roundRunning && !_doneThisRound[i]) _awaitedDone--;
            if (_evaluating && _reports[i] is null) _awaitedReports--;
        }
        if (!LiveAgents().Any(i => i < _settings.LearnerCount))
        {
            Fail($"{m.Reason} in round {_round}; no agent is left");
            return;
        }
        _hostLosses.Add(new HostLoss(_roundRunning ? _round : _round + 1, ids, m.Reason));
        foreach (int i in LiveAgents())
        {
            var gone = _settings.Neighbours[i].Where(IsLost).ToArray();
            if (gone.Length > 0) _agents[i].Tell(new NeighboursLost(gone));
        }
        // The barrier or the evaluation may have been waiting only for the lost agents.
        TryEndRound();
        TryEndEvaluation();
    }
}
