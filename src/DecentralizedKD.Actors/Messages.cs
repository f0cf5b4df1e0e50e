using Akka.Actor;
using DecentralizedKD.Core.Algorithms;
using DecentralizedKD.Core.Wire;

namespace DecentralizedKD.Actors;

// Immutable messages of the synchronous protocol. Payload arrays are shared by reference between co-located agents
// and are never mutated after sending.

/// <summary>Coordinator → agent: your neighbours' addresses (sorted by id). Answered with <see cref="AgentReady"/>.</summary>
public sealed record SetNeighbours(IReadOnlyDictionary<int, IActorRef> Neighbours);

public sealed record AgentReady(int AgentId);

/// <summary>Coordinator → agent: run iteration <paramref name="Round"/> (0-based).</summary>
public sealed record StartRound(int Round);

/// <summary>Agent → neighbour: one algorithm payload.</summary>
public sealed record GossipMessage(Payload Payload);

/// <summary>Agent → coordinator: iteration finished (combined).</summary>
public sealed record RoundDone(int AgentId, int Round, double Loss, long BytesSent, IReadOnlyDictionary<string, long> BytesByKind);

/// <summary>Coordinator → agent: evaluate after <paramref name="CompletedRounds"/> rounds.</summary>
public sealed record Evaluate(int CompletedRounds);

/// <summary>Agent → coordinator: test accuracy and a snapshot of the parameters (for x̄ and consensus distance).</summary>
public sealed record EvaluationReport(int AgentId, int CompletedRounds, double Accuracy, float[] Parameters)
{
    /// <summary>
    /// Set when <see cref="Parameters"/> is a pooled buffer (in-process runs): the coordinator, its only holder, releases
    /// it once the row is computed, or keeps it as the run's final parameters. Null across hosts (deserialized arrays).
    /// </summary>
    public Core.Memory.SharedBuffer? Buffer { get; init; }
}

/// <summary>
/// Coordinator node → worker host: a relayed <see cref="EvaluationReport"/> has arrived, so the host may send another
/// (flow control: a host's reports all come at once, and sending them all at once would hold several encoded copies of
/// every agent's parameters in the transport's buffers).
/// </summary>
public sealed record EvaluationReportReceived(int AgentId);

/// <summary>Coordinator → evaluator: accuracy of the averaged model.</summary>
public sealed record EvaluateAverage(int CompletedRounds, float[] Parameters);

public sealed record AverageEvaluated(int CompletedRounds, double Accuracy);

/// <summary>Agent → coordinator: the agent's computation threw; the run must stop with this error.</summary>
public sealed record AgentFailed(int AgentId, int Round, string Error);

/// <summary>To the coordinator: stop the run now (e.g. a cluster host was lost); the error gets the running round appended.</summary>
public sealed record AbortRun(string Reason);

/// <summary>
/// To the coordinator (from the cluster run actor on the same node, <c>cluster.on-host-loss = continue</c>): these
/// agents' host is gone; go on without them. <paramref name="Reason"/> names the host.
/// </summary>
public sealed record AgentsLost(int[] AgentIds, string Reason) : INoSerializationVerificationNeeded;

/// <summary>Coordinator → agent: these neighbours are gone for good; stop sending to them and combine without them.</summary>
public sealed record NeighboursLost(int[] AgentIds);

