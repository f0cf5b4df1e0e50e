using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Event;

namespace DecentralizedKD.TestSupport;

/// <summary>Collects the warning lines an actor system logs from the moment it is created (for asserting "one clear line").</summary>
public sealed class WarningLog
{
    private readonly ConcurrentQueue<string> _lines = new();

    public WarningLog(ActorSystem system)
    {
        var listener = system.ActorOf(Props.Create(() => new Listener(_lines)));
        system.EventStream.Subscribe(listener, typeof(Warning));
    }

    public string[] Lines => [.. _lines];

    private sealed class Listener : ReceiveActor
    {
        public Listener(ConcurrentQueue<string> lines) => Receive<Warning>(w => lines.Enqueue(w.Message?.ToString() ?? ""));
    }
}
