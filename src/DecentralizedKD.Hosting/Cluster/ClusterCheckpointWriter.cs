using DecentralizedKD.Actors.Hosts;
using DecentralizedKD.Core;
using DecentralizedKD.Core.Checkpoint;

namespace DecentralizedKD.Hosting.Cluster;

/// <summary>
/// The coordinator node's side of a cluster checkpoint (no Akka): writes the state files the agents shipped from
/// their hosts (<see cref="AgentStateBytes"/>) where a single-process run's agents write their own, so the coordinator
/// then commits the manifest exactly as in a local run and <c>dkd resume RUN</c> continues a cluster run in one
/// process. Each file is read back and checked (checksum, header) before the coordinator is told it is saved: the
/// manifest only ever names files that load.
/// </summary>
public sealed class ClusterCheckpointWriter(RunCheckpoints checkpoints)
{
    /// <summary>The results directory holding RUN/checkpoint.</summary>
    public string RunDirectory { get; } = Path.GetDirectoryName(checkpoints.Root)!;

    /// <summary>Writes one agent's state file; returns null when it is written and verified, else the error.</summary>
    public string? Write(AgentStateBytes m)
    {
        int round = m.Header.Round;
        var expected = checkpoints.AgentHeader(round, m.AgentId);
        if (m.Header != expected)
            return $"checkpoint after round {round}: agent {m.AgentId} sent the state of {m.Header.Owner} {m.Header.Id} after round {m.Header.Round}";
        string path = checkpoints.AgentFile(round, m.AgentId);
        try
        {
            StateFile.WriteBytes(path, m.State);
            using (StateFile.Open(path, expected)) { }
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"checkpoint after round {round} failed: {e.Message}";
        }
        catch (InputException e)
        {
            return $"checkpoint after round {round}: the state of agent {m.AgentId} arrived damaged ({e.Message})";
        }
    }

    /// <summary>
    /// What a failed cluster run's error adds: the last committed checkpoint, which the run leaves in place, and how to
    /// continue from it (single process: <c>dkd resume</c> reads only the coordinator's disk).
    /// </summary>
    public string ResumeHint()
    {
        if (!File.Exists(checkpoints.ManifestPath)) return "no checkpoint was committed before the run stopped";
        try
        {
            var manifest = CheckpointManifest.Read(checkpoints.ManifestPath);
            return $"the checkpoint after round {manifest.Round} remains: resume with dkd resume {RunDirectory}";
        }
        catch (InputException e)
        {
            return e.Message;
        }
    }
}
