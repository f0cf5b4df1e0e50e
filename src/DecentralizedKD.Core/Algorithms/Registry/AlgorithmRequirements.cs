namespace DecentralizedKD.Core.Algorithms.Registry;

/// <summary>
/// What a method needs from the rest of the experiment. The validation pipeline checks these for every method
/// with the same one-line messages, so a descriptor states facts instead of writing checks.
/// </summary>
public sealed record AlgorithmRequirements
{
    /// <summary>Fewest agents (learners) the method makes sense with: 2 when agents exchange messages with each other.</summary>
    public int MinAgents { get; init; } = 2;

    /// <summary>Distils on the unlabelled public pool, so <c>dataset.public-fraction</c> must be &gt; 0.</summary>
    public bool PublicPool { get; init; }

    /// <summary>
    /// Distils on the model's penultimate features (<see cref="Models.ModelDescriptor.HasFeatureLayer"/>), so every
    /// agent's model must have a feature layer.
    /// </summary>
    public bool FeatureLayer { get; init; }

    /// <summary>Fewest model heads (main head plus auxiliary heads).</summary>
    public int MinHeads { get; init; } = 1;

    /// <summary>Runs synchronous rounds even in asynchronous mode (a server round), so max-staleness must be 0 there.</summary>
    public bool SynchronousRounds { get; init; }

    /// <summary>Supports <c>checkpoint.every</c> in synchronous mode (still verified on agent 0's state).</summary>
    public bool Checkpoints { get; init; } = true;

    /// <summary>
    /// Works when neighbours change from round to round (<c>topology.schedule</c> other than static): the method keeps
    /// no per-neighbour state that must see every round of a fixed neighbour.
    /// </summary>
    public bool TimeVaryingTopology { get; init; } = true;

    /// <summary>Supports checkpoints in asynchronous mode (mid-iteration state).</summary>
    public bool AsyncCheckpoints { get; init; } = true;

    /// <summary>
    /// Works when agents have different models (<c>experiment.model.per-agent</c>): the method never combines or
    /// sends parameter vectors, whose lengths and meanings then differ between agents.
    /// </summary>
    public bool HeterogeneousModels { get; init; }
}
