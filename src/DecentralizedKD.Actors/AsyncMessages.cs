using DecentralizedKD.Core.Algorithms;
using DecentralizedKD.Core.Simulation;
using DecentralizedKD.Core.Wire;

namespace DecentralizedKD.Actors;

// Messages of the asynchronous (virtual-time) protocol: conservative time windows driven by the coordinator.

/// <summary>Coordinator → agent: create your state and schedule your first events.</summary>
public sealed record StartAsync;

/// <summary>A payload routed to its receiver, with the deterministic (time, sender, sequence) key fixed by the coordinator.</summary>
public sealed record RoutedArrival(double Time, int From, long Sequence, Payload Payload);

/// <summary>
/// Coordinator → agent: enqueue these arrivals, then handle every event strictly before <paramref name="End"/>, or
/// until <paramref name="StopAfterIterations"/> iterations are complete (a checkpoint is due there).
/// </summary>
public sealed record RunWindow(double End, IReadOnlyList<RoutedArrival> Arrivals, int StopAfterIterations = int.MaxValue);

/// <summary>
/// Agent → coordinator: window finished; what it sent, what it observed, when its next event is, the earliest time it
/// can next send (the lookahead of the next windows), how many iterations it has completed (checkpoints are due by
/// the slowest agent's progress).
/// </summary>
public sealed record WindowDone(
    int AgentId,
    IReadOnlyList<Outbound> Sent,
    IReadOnlyList<AsyncObservation> Observations,
    double NextEventTime,
    long BytesSent,
    IReadOnlyDictionary<string, long> BytesByKind,
    int CompletedIterations,
    SendBound NextSend);

/// <summary>
/// Coordinator → agent, at a window boundary instead of the next <see cref="RunWindow"/>: enqueue these arrivals (the
/// messages still in flight to you), then write your whole state to <paramref name="Path"/>; answered with
/// <see cref="AgentStateSaved"/>. The next <see cref="RunWindow"/> then carries no arrivals.
/// </summary>
public sealed record SaveAsyncAgentState(string Path, Core.Checkpoint.StateFileHeader Header, IReadOnlyList<RoutedArrival> Arrivals);
