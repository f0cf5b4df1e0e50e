using Akka.Actor;
using DecentralizedKD.Core.Training;
using DecentralizedKD.Core.Wire;

namespace DecentralizedKD.Actors.Hosts;

/// <summary>
/// The worker role's actor (at /user/host). On <see cref="AssignAgents"/> it creates the agents placed on this host
/// and registers them with the coordinator node (answering a repeated assignment with the same agents). It is the
/// host's only cross-host endpoint besides the agents' small replies: it relays the agents' reports to the
/// coordinator node and their payloads to other hosts (one copy per host, chunked when large), and delivers incoming
/// host payloads to each local target agent by reference. An agent that stops unexpectedly aborts the run.
/// </summary>
public sealed partial class HostActor : HostActorBase
{
    private readonly Func<int, IAgentRuntime> _createAgent;

    /// <summary>
    /// Parameter bytes of evaluation reports sent but not yet acknowledged: each host keeps at most this much in flight
    /// (at least one report). 10,000 LeNet-5 agents on four hosts put 2,500 reports of 247 KB on each host at once; sent
    /// together, their encoded frames and chunk copies held several times 617 MB per host and ran a 24 GB machine out of
    /// memory. 32 MB keeps about 130 such reports in flight: latency-bound links still stream, memory stays flat.
    /// </summary>
    public const long MaxReportBytesInFlight = 32L << 20;

    private readonly Queue<EvaluationReport> _reports = new();
    private readonly Queue<long> _inFlightBytes = new();
    private long _reportBytesInFlight;
    private readonly LargeObjectGarbageBudget _garbage = new(LargeObjectGarbageBudget.ReportRelayBytes);

    public HostActor(Func<int, IAgentRuntime> createAgent, HostSettings settings) : base(settings)
    {
        _createAgent = createAgent;
        Receive<RestoreAgentStates>(m =>
        {
            if (FromCoordinator(m)) OnRestore(m);
        });
        Receive<RelayGossip>(m => Link.Send(Assignment!.Hosts[m.Host], new HostGossip(m.Payload, m.Targets), Self));
        Receive<HostGossip>(OnHostGossip);
        Receive<RoundDone>(Relay);
        Receive<EvaluationReport>(OnReport);
        Receive<EvaluationReportReceived>(m =>
        {
            if (!FromCoordinator(m)) return;
            _reportBytesInFlight -= _inFlightBytes.Dequeue();
            SendReports();
        });
        Receive<AgentStateBytes>(Relay);
    }

    public static Props Props(Func<int, IAgentRuntime> createAgent, HostSettings settings) =>
        Akka.Actor.Props.Create(() => new HostActor(createAgent, settings));

    protected override void CreateAgents(AssignAgents m)
    {
        var outbox = new HostOutbox(Self, m.HostIndex, m.HostOfAgent);
        foreach (int i in m.AgentIds)
            StartAgent(i, AgentActor.Props(i, AgentFactory(i), Self, Settings.Dispatcher, outbox, shipsState: true));
    }

    private void OnReport(EvaluationReport m)
    {
        _reports.Enqueue(m);
        SendReports();
    }

    /// <summary>Relays queued reports in arrival order while the in-flight budget allows (always one when none is in flight).</summary>
    private void SendReports()
    {
        while (_reports.Count > 0)
        {
            long bytes = 4L * _reports.Peek().Parameters.Length;
            if (_inFlightBytes.Count > 0 && _reportBytesInFlight + bytes > MaxReportBytesInFlight) return;
            Relay(_reports.Dequeue());
            _inFlightBytes.Enqueue(bytes);
            _reportBytesInFlight += bytes;
            _garbage.Add(bytes);
        }
    }

    private void OnHostGossip(HostGossip m)
    {
        if (Assignment is null || !Owners.SpeaksFor(Sender, m.Payload.Sender, m)) return;
        // Every local target gets the same payload instance (zero copy on this host).
        var gossip = new GossipMessage(m.Payload);
        foreach (int target in m.Targets)
        {
            if (Agents.TryGetValue(target, out var agent)) agent.Tell(gossip, Sender);
            else Relay(new AbortRun($"host {Assignment?.HostIndex} got a payload for agent {target}, which it does not hold"));
        }
    }
}
