using DecentralizedKD.Core.Randomness;

namespace DecentralizedKD.Core.Simulation;

/// <summary>
/// Simulated compute time of one local step per agent: base step time × the agent's slowdown. A seeded fraction of
/// agents are stragglers, slowed by <c>slowdown</c> (exactly round(fraction·n) of them, chosen by a seeded shuffle).
/// </summary>
public sealed class ComputeModel
{
    private readonly double[] _stepSeconds;

    public ComputeModel(int agents, double stepSeconds, double stragglerFraction, double slowdown, ulong seed)
    {
        if (!(stepSeconds > 0)) throw new InputException($"compute.step-time = {stepSeconds}s: expected a positive duration");
        if (stragglerFraction is < 0 or > 1 || double.IsNaN(stragglerFraction)) throw new InputException($"compute.stragglers.fraction = {stragglerFraction}: expected a fraction in [0, 1]");
        if (!(slowdown >= 1)) throw new InputException($"compute.stragglers.slowdown = {slowdown}: expected a factor >= 1");
        int count = (int)Math.Round(stragglerFraction * agents);
        var order = Rng.Derive(seed, -1, "stragglers").Permutation(agents);
        Stragglers = order[..count].Order().ToArray();
        _stepSeconds = Enumerable.Repeat(stepSeconds, agents).ToArray();
        foreach (int s in Stragglers) _stepSeconds[s] = stepSeconds * slowdown;
    }

    public IReadOnlyList<int> Stragglers { get; }

    public double StepSeconds(int agent) => _stepSeconds[agent];
}
