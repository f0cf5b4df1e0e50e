using DecentralizedKD.Core.Wire;

namespace DecentralizedKD.Core.Algorithms;

/// <summary>
/// The per-agent algorithm contract. An algorithm is a state machine that never sees threads, actors
/// or clocks; the engine drives one iteration as
/// <c>LocalWork → for each phase p: Outgoing(p, per neighbour) → Receive (each neighbour payload of p) → Combine(p)</c>.
/// Most methods exchange once per iteration (one phase); CCL needs a second exchange that depends on the first
/// (feature sums under the neighbours' received parameters) and FedDKD a chain of server/client exchanges.
/// Synchronous, asynchronous and cluster runs all use this one code path.
/// </summary>
public interface IAgentAlgorithm : IDisposable
{
    /// <summary>How many message exchanges iteration <paramref name="round"/> has (at least 1).</summary>
    int Phases(int round) => 1;

    /// <summary>Local computation that precedes the first exchange of iteration <paramref name="round"/> (0-based).</summary>
    void LocalWork(int round);

    /// <summary>
    /// The payload for <paramref name="neighbour"/> in this phase, or null when nothing is sent. Algorithms that
    /// send the same thing to everyone return one shared immutable instance.
    /// </summary>
    Payload? Outgoing(int round, int phase, int neighbour);

    /// <summary>How many payloads this agent expects in this phase before it can combine (sync mode).</summary>
    int ExpectedPayloads(int round, int phase);

    /// <summary>
    /// Under a time-varying <c>topology.schedule</c>: whom this phase's payloads go to (ascending), when that is not the
    /// round's recipients (e.g. CCL's phase 1 travels back along phase 0's edges). Null: the schedule decides.
    /// </summary>
    IReadOnlyList<int>? Recipients(int round, int phase) => null;

    /// <summary>Under a time-varying schedule: whose payloads this phase waits for, when not the round's row (null).</summary>
    IReadOnlyList<int>? Senders(int round, int phase) => null;

    /// <summary>A neighbour's payload arrived (its <see cref="Payload.Phase"/> says which exchange it belongs to).</summary>
    void Receive(Payload payload);

    /// <summary>Use what was received in this phase (e.g. gossip averaging); after the last phase the iteration is finished.</summary>
    void Combine(int round, int phase);

    /// <summary>Mean training loss of the last finished iteration (read by the engine after the last phase).</summary>
    double LastLoss { get; }

    /// <summary>
    /// Asynchronous mode: combine even if some neighbour was never heard from (its weight goes to the agent's own
    /// parameters). Synchronous mode keeps the strict default, where a missing payload is a protocol error.
    /// </summary>
    void UseSelfForMissingNeighbours() { }

    /// <summary>
    /// Take parameter snapshots from <paramref name="pool"/> instead of allocating one per iteration (the engine's pool of
    /// the run). Methods that send no parameter-sized payload ignore it.
    /// </summary>
    void UseBufferPool(Memory.FloatBufferPool pool) { }

    /// <summary>
    /// Synchronous rounds where every neighbour's payload arrives in every iteration: what was received may be let go
    /// once the iteration's last exchange is combined, since it is never read again. Methods that keep nothing ignore it.
    /// </summary>
    void ReleasePayloadsAfterEachIteration() { }

    /// <summary>
    /// The synchronous round barrier after iteration <paramref name="round"/> has passed: nobody reads that iteration's
    /// payloads any more, so the outgoing snapshot may go back to the pool before the next iteration (e.g. for the
    /// evaluation's parameter copy to reuse it). Ignored unless <see cref="ReleasePayloadsAfterEachIteration"/> was called.
    /// </summary>
    void RoundClosed(int round) { }

    /// <summary>
    /// Bytes of the per-agent state the method keeps besides the model's parameters and gradients (momentum buffers,
    /// pre-mix copies, CHOCO's public copies), for <c>dkd scale</c>'s memory breakdown; null if the method does not say.
    /// Pooled snapshots and received payloads are not included (the engine's pool counts those).
    /// </summary>
    long? StateBytes => null;

    /// <summary>The agent's current parameters (for evaluation, consensus distance and the averaged model).</summary>
    ReadOnlySpan<float> Parameters { get; }
}
