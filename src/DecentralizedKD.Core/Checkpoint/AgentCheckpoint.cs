using DecentralizedKD.Core.Algorithms;
using DecentralizedKD.Core.Training;

namespace DecentralizedKD.Core.Checkpoint;

/// <summary>One agent's state file: its algorithm's whole state (which includes the learner, sampler and RNGs).</summary>
public static class AgentCheckpoint
{
    public static void Save(string path, StateFileHeader header, IAgentAlgorithm algorithm) =>
        StateFile.Write(path, header, CheckpointSupport.StateOf(algorithm).SaveState);

    /// <summary>The bytes <see cref="Save"/> would write (a cluster agent ships them to the coordinator node).</summary>
    public static byte[] Encode(StateFileHeader header, IAgentAlgorithm algorithm) =>
        StateFile.Encode(header, CheckpointSupport.StateOf(algorithm).SaveState);

    public static void Load(string path, StateFileHeader header, IAgentAlgorithm algorithm) =>
        StateFile.Read(path, header, CheckpointSupport.StateOf(algorithm).LoadState);

    /// <summary>Loads a state file's bytes (on a cluster host, shipped from the coordinator node's checkpoint); <paramref name="name"/> names it in errors.</summary>
    public static void Load(byte[] bytes, string name, StateFileHeader header, IAgentAlgorithm algorithm) =>
        StateFile.Read(bytes, name, header, CheckpointSupport.StateOf(algorithm).LoadState);
}
