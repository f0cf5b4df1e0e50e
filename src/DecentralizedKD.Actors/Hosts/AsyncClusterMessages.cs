using DecentralizedKD.Core.Algorithms;
using DecentralizedKD.Core.Simulation;

namespace DecentralizedKD.Actors.Hosts;

// Messages of the asynchronous (virtual-time) protocol between hosts (DESIGN.md §3, §5). Placement, failures and the
// end of the run reuse the synchronous cluster messages (AssignAgents, AgentsRegistered, AbortRun, RunFinished, ...).
// Payloads travel host → host only; the coordinator node sees observations, next-event times and byte counters.

/// <summary>
/// Coordinator node → worker host: run conservative time window <paramref name="Window"/>. Window 0 starts the agents
/// (<paramref name="End"/> unused). For window w ≥ 1 the host first waits for every other host's
/// <see cref="HostArrivals"/> of window w−1, then has each agent handle every event strictly before <paramref name="End"/>.
/// </summary>
public sealed record HostRunWindow(long Window, double End);

/// <summary>
/// Worker host → coordinator node: window finished on this host. <paramref name="Agents"/> in ascending agent id;
/// <paramref name="EarliestArrival"/> is the earliest arrival time of any payload its agents sent in the window (∞ if
/// none) — the only thing about payloads the coordinator needs to place the next window.
/// </summary>
public sealed record HostWindowDone(int HostIndex, long Window, AgentWindowReport[] Agents, double EarliestArrival);

/// <summary>One agent's part of <see cref="HostWindowDone"/>: what it observed (in order), its next event, its byte counters.</summary>
public readonly record struct AgentWindowReport(int AgentId, AsyncObservation[] Observations, double NextEventTime, long BytesSent,
    IReadOnlyDictionary<string, long> BytesByKind);

/// <summary>
/// Worker host → worker host, once per window to every other host (empty when nothing is due): the payloads its agents
/// sent in <paramref name="Window"/> to agents of the destination host, each payload once with all its targets.
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
