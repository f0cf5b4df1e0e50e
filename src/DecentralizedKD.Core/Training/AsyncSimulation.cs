using DecentralizedKD.Core.Simulation;
using DecentralizedKD.Core.Wire;

namespace DecentralizedKD.Core.Training;

/// <summary>
/// Runs asynchronous agents to completion in exact global event order, on one thread. Each agent's behaviour depends
/// only on its own (time, sender, sequence)-ordered event stream, so a parallel driver with conservative time windows
/// must produce the same result; this one is the reference.
/// </summary>
public static class AsyncSimulation
{
    public static void Run(IReadOnlyList<AsyncAgent> agents)
    {
        var outbox = new List<Outbound>();
        var sent = new long[agents.Count];
        foreach (var a in agents)
        {
            a.Start(outbox);
            Deliver(agents, outbox, sent);
        }
        while (true)
        {
            AsyncAgent? next = null;
            double earliest = double.PositiveInfinity;
            foreach (var a in agents)
                if (a.Queue.TryPeekTime(out double t) && t < earliest) { earliest = t; next = a; }
            if (next is null) return;
            next.Queue.TryDequeueBefore(double.PositiveInfinity, out var e);
            next.Handle(e, outbox);
            Deliver(agents, outbox, sent);
        }
    }

    private static void Deliver(IReadOnlyList<AsyncAgent> agents, List<Outbound> outbox, long[] sent)
    {
        foreach (var m in outbox)
            agents[m.To].Queue.Enqueue(new SimEvent<AgentEvent>(m.ArrivalTime, m.From, sent[m.From]++, new AgentEvent.Arrival(m.Payload)));
        outbox.Clear();
    }
}
