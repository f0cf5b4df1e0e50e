using Akka.Actor;
using DecentralizedKD.Core.Checkpoint;
using DecentralizedKD.Core.Simulation;

namespace DecentralizedKD.Actors;

/// <summary>
/// The asynchronous coordinator's checkpoint step. The cut is a window boundary: every agent has reported its window,
/// the observations are replayed into the sink and every message sent so far is routed with its final (time, sender,
/// sequence) key. Instead of the next window, each agent receives its share of those messages and writes its state
/// (queue included, so messages in flight are saved with their receivers); then the coordinator writes its own file
/// and commits. The window then opens exactly as it would have, with the arrivals already queued.
/// </summary>
public sealed partial class AsyncCoordinatorActor
{
    private readonly AsyncCheckpointing? _checkpoints;
    private bool _restoredStart;
    private int _checkpointRound = -1;
    private int _statesSaved;
    private double _nextAfterCheckpoint;

    private void Restore(AsyncCoordinatorState s)
    {
        s.SentCount.ToArray().CopyTo(_sentCount, 0);
        _windows = s.Windows;
        _restoredStart = true;
    }

    private void BeginCheckpoint(int round, IReadOnlyList<RoutedArrival>[] inbox, double next)
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
        _nextAfterCheckpoint = next;
        for (int i = 0; i < _agents; i++)
            _refs[i].Tell(new SaveAsyncAgentState(checkpoints.Files.AgentFile(round, i), checkpoints.Files.AgentHeader(round, i), inbox[i]));
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
        try { checkpoints.Commit(round, _sentCount, _windows); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Complete($"checkpoint after round {round} failed: {e.Message}");
            return;
        }
        if (checkpoints.HaltsAfter(round)) Complete($"halted after the checkpoint of round {round}");
        else Advance(Enumerable.Repeat<IReadOnlyList<RoutedArrival>>([], _agents).ToArray(), _nextAfterCheckpoint);
    }
}
