using Akka.Actor;
using DecentralizedKD.Core.Training;

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
        Receive<EvaluationReport>(Relay);
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
