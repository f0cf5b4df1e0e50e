using Akka.Actor;
using DecentralizedKD.Core.Algorithms;
using DecentralizedKD.Core.Wire;

namespace DecentralizedKD.Actors.Hosts;

/// <summary>
/// An agent's outbox on a cluster host: neighbours on the same host get the payload directly (by reference, zero
/// copy); for neighbours on another host, equal payloads (e.g. the one parameter snapshot shared by all neighbours)
/// are grouped so that each destination host receives ONE copy with the list of its target agents.
/// </summary>
public sealed class HostOutbox(IActorRef host, int selfHost, IReadOnlyList<int> hostOfAgent) : IGossipOutbox
{
    public void Send(IReadOnlyList<OutgoingGossip> messages, IActorRef self)
    {
        // (destination host, payload) → targets, in first-appearance order.
        var remote = new List<(int Host, Payload Payload, List<int> Targets)>();
        foreach (var m in messages)
        {
            int h = hostOfAgent[m.Neighbour];
            if (h == selfHost)
            {
                m.Actor.Tell(new GossipMessage(m.Payload), self);
                continue;
            }
            int k = remote.FindIndex(e => e.Host == h && e.Payload.Equals(m.Payload));
            if (k >= 0) remote[k].Targets.Add(m.Neighbour);
            else remote.Add((h, m.Payload, [m.Neighbour]));
        }
        foreach (var (h, payload, targets) in remote) host.Tell(new RelayGossip(h, payload, targets.ToArray()), self);
    }
}
