namespace DecentralizedKD.Core.State;

/// <summary>
/// State that lives inside one iteration, between an algorithm's local work and its last combine: the latest payloads
/// received from each neighbour, values computed in <c>LocalWork</c> and used by a later <c>Combine</c> (start point,
/// learning rate, loss, this iteration's batch), the logits or parameters still to be sent. A synchronous checkpoint
/// never needs it (taken at a round boundary, where all of it is rebuilt before use), but an asynchronous one is taken
/// between two virtual-time windows, where every agent is somewhere inside an iteration. Like
/// <see cref="ICheckpointable"/>, it must be declared by the concrete class (see <c>Training.CheckpointSupport</c>).
/// </summary>
public interface IIterationState
{
    void SaveIterationState(BinaryWriter writer);
    void LoadIterationState(BinaryReader reader);
}
