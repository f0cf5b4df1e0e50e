using System.Globalization;
using DecentralizedKD.Core.Data;
using DecentralizedKD.Core.Training;

namespace DecentralizedKD.Cli.Running;

/// <summary>
/// What one agent costs in memory, by component, for <c>dkd scale</c>. Exact where the engine knows the size
/// (parameters and gradients: 4 bytes per parameter each; the method's own arrays as it declares them; pooled buffers:
/// the pool's allocations over the run divided by the agents; the data view: its sampler's index arrays), measured for
/// the rest: the actor with its other managed objects is the managed heap per agent at creation minus the method's
/// arrays and the sampler's epoch order (the partition's index arrays exist before the agents do), and the model object
/// (TorchSharp module and its native bookkeeping) with everything else is what the resident memory per agent at the end
/// holds beyond all of that (allocator slack and the process's fixed costs shared by the agents included). Resident
/// memory at creation cannot be split further: zero-filled buffers (gradients, momentum) are not resident until first
/// written.
/// </summary>
public sealed record AgentFootprint(long Parameters, long Gradients, long? MethodState, double PooledBuffers, double DataView,
    double? ModelObjectAndRest, double? ActorAndManaged)
{
    public static AgentFootprint Of(HostProcess process, MemoryProbe memory)
    {
        var c = process.Plan.Config;
        long p = 4L * process.Plan.ParameterCountOf(0);
        long? state;
        using (var probe = process.CreateAgent(0)) state = probe.Algorithm.StateBytes;
        var learners = process.Plan.Partition.AgentIndices.Take(c.Agents).ToArray();
        double dataView = learners.Average(ix => (double)BatchSampler.IndexBytes(ix.Length, c.Optimizer.BatchSize));
        double orderCreatedWithAgent = dataView - learners.Average(ix => 4.0 * ix.Length);
        double pooled = (double)process.BufferPool.Counters.Allocated * p / c.AgentCount;
        double? atEnd = memory.PerAgent(memory.AtLastEvaluation), managed = memory.ManagedPerAgent;
        double? actor = managed is double m ? m - (state ?? 0) - orderCreatedWithAgent : null;
        double? rest = atEnd is double r && actor is double a ? r - 2 * p - (state ?? 0) - pooled - dataView - a : null;
        return new AgentFootprint(p, p, state, pooled, dataView, rest, actor);
    }

    public Dictionary<string, double?> ToDictionary() => new()
    {
        ["parameters"] = Parameters,
        ["gradients"] = Gradients,
        ["methodState"] = MethodState,
        ["pooledBuffers"] = Math.Round(PooledBuffers),
        ["dataView"] = Math.Round(DataView),
        ["modelObjectAndRestMeasured"] = ModelObjectAndRest is double m ? Math.Round(m) : null,
        ["actorAndManagedMeasured"] = ActorAndManaged is double a ? Math.Round(a) : null,
    };

    /// <summary>One line: each component in KB.</summary>
    public string Describe()
    {
        static string Kb(double? b) => b is double v ? (v / 1024).ToString("0.0", CultureInfo.InvariantCulture) : "n/a";
        return $"parameters {Kb(Parameters)} · gradients {Kb(Gradients)} · method state {Kb(MethodState)} · pooled buffers {Kb(PooledBuffers)}" +
               $" · data view {Kb(DataView)} · actor and other managed {Kb(ActorAndManaged)} (measured) · model object and the rest {Kb(ModelObjectAndRest)} (measured)";
    }
}
