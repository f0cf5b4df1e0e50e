namespace DecentralizedKD.Core.State;

/// <summary>
/// State that a checkpoint saves and a resumed run restores: everything that influences later rounds (parameters,
/// optimizer and algorithm buffers, batch-stream positions, RNG states), written and read in the same fixed order.
/// <see cref="LoadState"/> is called on a freshly built object of the same configuration and must leave it exactly as
/// the saved one was, so the next steps are bit-identical. Algorithms implement it on their concrete class (see
/// <c>Training.CheckpointSupport</c>); an algorithm that does not is refused up front when checkpoints are requested.
/// </summary>
public interface ICheckpointable
{
    void SaveState(BinaryWriter writer);
    void LoadState(BinaryReader reader);
}
