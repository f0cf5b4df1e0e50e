using Akka.Actor;
using DecentralizedKD.Core.Algorithms;
using DecentralizedKD.Core.Wire;

namespace DecentralizedKD.Actors;

/// <summary>One payload of an exchange addressed to one neighbour.</summary>
public readonly record struct OutgoingGossip(int Neighbour, IActorRef Actor, Payload Payload);

/// <summary>
/// How an agent's payloads of one exchange reach its neighbours. The single-process engine tells each neighbour
/// directly (<see cref="DirectOutbox"/>); a cluster host routes neighbours on other hosts through their host, once per
/// host (see Cluster/HostOutbox.cs).
/// </summary>
public interface IGossipOutbox
{
    /// <summary>Sends one exchange's payloads, in neighbour order. Called inside the agent's receive.</summary>
    void Send(IReadOnlyList<OutgoingGossip> messages, IActorRef self);
}

/// <summary>Every payload straight to the neighbour's actor (co-located agents share the payload by reference).</summary>
public sealed class DirectOutbox : IGossipOutbox
{
    public static DirectOutbox Instance { get; } = new();

    public void Send(IReadOnlyList<OutgoingGossip> messages, IActorRef self)
    {
        foreach (var m in messages) m.Actor.Tell(new GossipMessage(m.Payload), self);
    }
}
