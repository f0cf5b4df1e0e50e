using DecentralizedKD.Core.Algorithms;

namespace DecentralizedKD.Core.Checkpoint;

/// <summary>One agent's state file: its algorithm's whole state (which includes the learner, sampler and RNGs).</summary>
public static class AgentCheckpoint
{
    public static void Save(string path, StateFileHeader header, IAgentAlgorithm algorithm) =>
        StateFile.Write(path, header, CheckpointSupport.StateOf(algorithm).SaveState);

    public static void Load(string path, StateFileHeader header, IAgentAlgorithm algorithm) =>
        StateFile.Read(path, header, CheckpointSupport.StateOf(algorithm).LoadState);
}
