using Akka.Actor;
using DecentralizedKD.Core.Checkpoint;
using DecentralizedKD.Core.Simulation;

namespace DecentralizedKD.Actors;

/// <summary>
/// The asynchronous coordinator's checkpoint step. The cut is a window boundary: the active agents have reported their
/// window, the observations are replayed into the sink and every message sent so far is routed with its final (time,
/// sender, sequence) key. Instead of the next window, each agent (all of them) receives the messages routed to it and
/// not yet handed over, and writes its state (queue included, so messages in flight are saved with their receivers);
/// then the coordinator writes its own file and commits. The next window then opens exactly as it would have: the
/// planner's view of the agents does not change, and a resumed run rebuilds it from the agents' restored state.
/// </summary>
public sealed partial class AsyncCoordinatorActor
{
    private readonly AsyncCheckpointing? _checkpoints;
    private bool _restoredStart;
    private int _checkpointRound = -1;
    private int _statesSaved;

    private void Restore(AsyncCoordinatorState s)
    {
        s.SentCount.ToArray().CopyTo(_sentCount, 0);
        _planner.RestoreCounters(s.Windows, s.ActiveAgentWindows);
        if (s.HeldObservations.Length > 0) _observations.LoadState(new BinaryReader(new MemoryStream(s.HeldObservations)));
        _restoredStart = true;
    }

    /// <summary>Every agent saves its state, the messages routed to it but not yet handed over included.</summary>
    private void BeginCheckpoint(int round)
    {
        var checkpoints = _checkpoints!;
        try { checkpoints.Begin(round); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Complete($"checkpoint after round {round} failed: {e.Message}");
            return;
        }
        _checkpointRound = round;
        _statesSaved = 0;
        for (int i = 0; i < _agents; i++)
        {
            _refs[i].Tell(new SaveAsyncAgentState(checkpoints.Files.AgentFile(round, i), checkpoints.Files.AgentHeader(round, i),
                (IReadOnlyList<RoutedArrival>?)_inbox[i] ?? []));
            _inbox[i] = null;
        }
    }

    private void OnStateSaved(AgentStateSaved m)
    {
        if (_finished) return;
        if (m.Round != _checkpointRound)
        {
            Complete($"protocol error: agent {m.AgentId} saved state of round {m.Round} during the checkpoint of round {_checkpointRound}");
            return;
        }
        if (++_statesSaved < _agents) return;
        int round = _checkpointRound;
        _checkpointRound = -1;
        var checkpoints = _checkpoints!;
        try { checkpoints.Commit(round, _sentCount, _planner.Windows, _planner.ActiveAgentWindows, _observations); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Complete($"checkpoint after round {round} failed: {e.Message}");
            return;
        }
        if (checkpoints.HaltsAfter(round)) Complete($"halted after the checkpoint of round {round}");
        else Advance();
    }
}
