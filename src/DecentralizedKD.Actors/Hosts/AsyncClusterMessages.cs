using DecentralizedKD.Core.Algorithms;
using DecentralizedKD.Core.Simulation;
using DecentralizedKD.Core.Wire;

namespace DecentralizedKD.Actors.Hosts;

// Messages of the asynchronous (virtual-time) protocol between hosts. Placement, failures and the
// end of the run reuse the synchronous cluster messages (AssignAgents, AgentsRegistered, AbortRun, RunFinished, ...).
// Payloads travel host → host only; the coordinator node sees observations, next-event times and byte counters.

/// <summary>
/// Coordinator node → worker host: run conservative time window <paramref name="Window"/> for the listed agents of
/// this host, each up to its own horizon (hosts with no active agent get nothing). Window 0 starts every agent
/// (<paramref name="Agents"/> empty). The host first waits until it has received <paramref name="ArrivalBatches"/>
/// <see cref="HostArrivals"/> in all (a running total the coordinator keeps from the hosts' reports), so each agent
/// sees exactly the arrivals the single-process driver would give it.
/// </summary>
public sealed record HostRunWindow(long Window, AgentWindow[] Agents, long ArrivalBatches);

/// <summary>One agent of a <see cref="HostRunWindow"/> and the time before which it handles its events.</summary>
public readonly record struct AgentWindow(int AgentId, double End);

/// <summary>
/// Worker host → coordinator node: window finished on this host. <paramref name="Agents"/>: the agents that ran, in
/// ascending id. <paramref name="Due"/>: for each agent that a payload sent in the window goes to, the earliest arrival
/// (what the coordinator needs to plan windows; payloads never pass through it). <paramref name="SentTo"/>: the hosts
/// that got a <see cref="HostArrivals"/> from this window.
/// </summary>
public sealed record HostWindowDone(int HostIndex, long Window, AgentWindowReport[] Agents, ArrivalDue[] Due, int[] SentTo);

/// <summary>One agent's part of <see cref="HostWindowDone"/>: what it observed (in order), its next event and send bound, its counters.</summary>
public readonly record struct AgentWindowReport(int AgentId, AsyncObservation[] Observations, double NextEventTime, long BytesSent,
    IReadOnlyDictionary<string, long> BytesByKind, int CompletedIterations, SendBound NextSend);

/// <summary>A payload arrives at agent <paramref name="To"/> at <paramref name="Time"/> (the earliest of its window).</summary>
public readonly record struct ArrivalDue(int To, double Time);

/// <summary>
/// Worker host → worker host, after a window in which its agents sent something to agents of the destination host:
/// those payloads, each once with all its targets.
/// </summary>
public sealed record HostArrivals(long Window, int FromHost, ArrivalBundle[] Bundles);

/// <summary>One payload sent by agent <paramref name="From"/> and where/when it arrives.</summary>
public readonly record struct ArrivalBundle(int From, Payload Payload, ArrivalTarget[] Targets);

/// <summary>
/// Receiver, arrival time and the sender's message sequence number: with the sender, the (time, sender, sequence) key
/// that orders the receiver's events. Sequence numbers count each sender's messages in send order, so the sending host
/// fixes them itself — exactly as the single-process coordinator does — and no key goes through the coordinator.
/// </summary>
public readonly record struct ArrivalTarget(int To, double Time, long Sequence);
