using Akka.Actor;
using DecentralizedKD.Core.Checkpoint;

namespace DecentralizedKD.Actors;

/// <summary>
/// The coordinator's checkpoint step (synchronous mode). At a round boundary, after that round's evaluation, no
/// payload is in flight: every agent is asked to write its own state file, and once all have answered the coordinator
/// writes its own state and commits the checkpoint (manifest replaced atomically). Resuming restores the coordinator
/// from the same state and starts the next round.
/// </summary>
public sealed partial class CoordinatorActor
{
    private int _checkpointRound = -1;
    private int _statesSaved;
    private double _wallOffset;

    /// <summary>wall_s continues across a resume (it is the one column that is not reproducible anyway).</summary>
    private double WallSeconds => _wallOffset + _wall.Elapsed.TotalSeconds;

    private void BeginCheckpoint(int completed)
    {
        var checkpoints = _settings.Checkpoints!;
        try { checkpoints.Begin(completed); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Fail($"checkpoint after round {completed} failed: {e.Message}");
            return;
        }
        _checkpointRound = completed;
        _statesSaved = 0;
        for (int i = 0; i < _agents.Length; i++)
            _agents[i].Tell(new SaveAgentState(checkpoints.AgentFile(completed, i), checkpoints.AgentHeader(completed, i)));
    }

    private void OnStateSaved(AgentStateSaved m)
    {
        if (_finished) return;
        if (m.Round != _checkpointRound)
        {
            Fail($"protocol error: agent {m.AgentId} saved state of round {m.Round} during the checkpoint of round {_checkpointRound}");
            return;
        }
        if (++_statesSaved < _settings.Agents) return;
        int completed = _checkpointRound;
        _checkpointRound = -1;
        var checkpoints = _settings.Checkpoints!;
        try { checkpoints.Commit(Snapshot(completed)); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Fail($"checkpoint after round {completed} failed: {e.Message}");
            return;
        }
        if (checkpoints.HaltAfter == completed) Fail($"halted after the checkpoint of round {completed}");
        else Proceed(completed);
    }

    private CoordinatorState Snapshot(int completed) => new(completed, WallSeconds, _rows.ToArray(), _lastAccuracies.ToArray(),
        _bytesPerAgent.ToArray(), new Dictionary<string, long>(_bytesByKind), _bytesTotal, _lossSums.ToArray(), _lossCount);

    private void Restore(CoordinatorState s)
    {
        _wallOffset = s.WallSeconds;
        _rows.AddRange(s.Rows);
        _lastAccuracies = s.LastAccuracies.ToArray();
        s.BytesPerAgent.ToArray().CopyTo(_bytesPerAgent, 0);
        foreach (var (kind, bytes) in s.BytesByKind) _bytesByKind[kind] = bytes;
        _bytesTotal = s.BytesTotal;
        s.LossSums.ToArray().CopyTo(_lossSums, 0);
        _lossCount = s.LossCount;
    }
}
