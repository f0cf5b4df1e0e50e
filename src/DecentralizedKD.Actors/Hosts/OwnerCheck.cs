using Akka.Actor;
using Akka.Event;

namespace DecentralizedKD.Actors.Hosts;

/// <summary>
/// Only the owner speaks for an agent: a cross-host message about an agent (its payload, report, observations, state
/// file, failure) is accepted only from the host the agent is placed on, and a message naming a host index only from
/// that host. Anything else is dropped — never applied — and counted per sender; the first drop from each sender is
/// logged (one line per offending host, however many it sends). Senders are told apart by their actor system's
/// address. Used by one actor (not thread-safe).
/// </summary>
public sealed class OwnerCheck(ILoggingAdapter log, string where)
{
    private readonly Dictionary<Address, long> _dropped = [];
    private Address[] _hosts = [];
    private int[] _hostOfAgent = [];
    private int _self = -1;

    /// <summary>Messages dropped so far, per sending actor system.</summary>
    public IReadOnlyDictionary<Address, long> Dropped => _dropped;

    public long DroppedTotal => _dropped.Values.Sum();

    /// <summary>The run's placement: host k's address and agent i's host. <paramref name="self"/>: this host's own index
    /// (a host never takes a host-to-host message as coming from itself), or -1 on the coordinator node.</summary>
    public void Place(IReadOnlyList<Address> hosts, int[] hostOfAgent, int self = -1)
    {
        _hosts = [.. hosts];
        _hostOfAgent = hostOfAgent;
        _self = self;
    }

    /// <summary>The index of the host that sent a message, or -1 when the sender is not another host of this run.</summary>
    public int HostOf(IActorRef sender)
    {
        int k = Array.IndexOf(_hosts, sender.Path.Address);
        return k == _self ? -1 : k;
    }

    /// <summary>Whether <paramref name="sender"/> is host <paramref name="hostIndex"/> (the index the message names).</summary>
    public bool IsHost(IActorRef sender, int hostIndex, object message)
    {
        int k = HostOf(sender);
        if (k >= 0 && k == hostIndex) return true;
        Drop(sender, message, k < 0 ? "the sender is not a host of this run" : $"the sender is host {k}, the message names host {hostIndex}");
        return false;
    }

    /// <summary>Whether <paramref name="sender"/> is any host of this run.</summary>
    public bool IsAnyHost(IActorRef sender, object message)
    {
        if (HostOf(sender) >= 0) return true;
        Drop(sender, message, "the sender is not a host of this run");
        return false;
    }

    /// <summary>Whether <paramref name="sender"/> is the host agent <paramref name="agent"/> is placed on.</summary>
    public bool SpeaksFor(IActorRef sender, int agent, object message)
    {
        int k = HostOf(sender);
        if (k >= 0 && agent >= 0 && agent < _hostOfAgent.Length && _hostOfAgent[agent] == k) return true;
        Drop(sender, message, k < 0 ? "the sender is not a host of this run" : $"agent {agent} is not placed on the sending host {k}");
        return false;
    }

    /// <summary>Counts a dropped message; the first from each sender is logged.</summary>
    public void Drop(IActorRef sender, object message, string why)
    {
        var address = sender.Path.Address;
        long count = _dropped.GetValueOrDefault(address);
        _dropped[address] = count + 1;
        if (count == 0)
            log.Warning("{0}: dropped {1} from {2}: {3} (further messages dropped from it are counted, not logged)", where, message.GetType().Name, address, why);
    }
}
