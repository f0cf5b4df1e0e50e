using Akka.Actor;
using DecentralizedKD.Core.Algorithms;
using DecentralizedKD.Core.Wire;

namespace DecentralizedKD.Actors.Hosts;

// Messages between the coordinator node and the worker hosts. Everything here except RelayGossip crosses
// hosts and is bound to the binary wire serializer (hocon/cluster.conf).

/// <summary>
/// Coordinator node → worker host: the agents placed on it. Resent on a timer until answered; a host answers the same
/// assignment again with the same agents (idempotent). <paramref name="HostOfAgent"/>[i] = index of agent i's host;
/// <paramref name="Hosts"/>[k] = host k's HostActor; <paramref name="Fingerprint"/> identifies the experiment.
/// </summary>
public sealed record AssignAgents(int HostIndex, int[] AgentIds, int[] HostOfAgent, IActorRef[] Hosts, string Fingerprint);

/// <summary>Host → coordinator node: its agents are created; <paramref name="Agents"/>[k] is agent AgentIds[k].</summary>
public sealed record AgentsRegistered(int HostIndex, int[] AgentIds, IActorRef[] Agents);

/// <summary>Host → coordinator node: this host cannot take part (e.g. it was started with a different experiment).</summary>
public sealed record HostRejected(int HostIndex, string Reason);

/// <summary>Host → host: one payload for one or more agents of the destination host (one copy per host).</summary>
public sealed record HostGossip(Payload Payload, int[] Targets);

/// <summary>
/// One piece of a message too large for one frame: the sender serializes the message once and sends its bytes in
/// order as <paramref name="Count"/> chunks; the receiver reassembles and deserializes it.
/// </summary>
public sealed record WireChunk(long TransferId, int Index, int Count, int SerializerId, string Manifest, byte[] Data);

/// <summary>
/// Coordinator node → hosts: the run is over (<paramref name="Error"/> null on success); a host stops its agents and
/// answers with its final <see cref="HostWireStats"/>.
/// </summary>
public sealed record RunFinished(string? Error);

/// <summary>Host → coordinator node: bytes this host's serializer wrote to / read from the wire, per message manifest, and
/// how many cross-host messages it dropped (not from the coordinator node or another host of the run, or from a host
/// speaking for an agent placed elsewhere; see <see cref="OwnerCheck"/>).</summary>
public sealed record HostWireStats(int HostIndex, IReadOnlyDictionary<string, long> Sent, IReadOnlyDictionary<string, long> Received)
{
    public long Dropped { get; init; }
}

/// <summary>Agent → its own host (local only): relay this payload to these agents on host <paramref name="Host"/>.</summary>
public sealed record RelayGossip(int Host, Payload Payload, int[] Targets) : INoSerializationVerificationNeeded;
