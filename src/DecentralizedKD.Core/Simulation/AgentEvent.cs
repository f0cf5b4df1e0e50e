using DecentralizedKD.Core.Algorithms;
using DecentralizedKD.Core.Wire;

namespace DecentralizedKD.Core.Simulation;

/// <summary>What can happen to an agent in virtual time.</summary>
public abstract record AgentEvent
{
    /// <summary>The agent's simulated local computation of iteration <paramref name="Iteration"/> ends.</summary>
    public sealed record StepFinished(int Iteration) : AgentEvent;

    /// <summary>A neighbour's payload arrives.</summary>
    public sealed record Arrival(Payload Payload) : AgentEvent;

    /// <summary>The agent has waited <c>wait-timeout</c> for fresh enough payloads of this iteration's exchange.</summary>
    public sealed record WaitTimeout(int Iteration, int Exchange) : AgentEvent;

    /// <summary>A churn transition (the agent goes offline or comes back).</summary>
    public sealed record ChurnChange : AgentEvent;
}

/// <summary>A payload in flight from one agent to another.</summary>
public sealed record Outbound(int From, int To, double ArrivalTime, Payload Payload);

/// <summary>Asynchronous-mode settings shared by all agents.</summary>
public sealed record AsyncSettings(int Budget, int MaxStaleness, double WaitTimeoutS, Func<int, bool> EvaluatesAfter);
