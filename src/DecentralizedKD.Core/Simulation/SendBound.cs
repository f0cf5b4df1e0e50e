namespace DecentralizedKD.Core.Simulation;

/// <summary>
/// A lower bound on when an agent can next send anything, which is what lets a windowed driver look ahead further than
/// the shortest link latency: nothing the agent sends can arrive before this bound plus that latency. Either an
/// absolute virtual time (the end of the computation under way, the time it comes back online) or, for an agent
/// waiting on its neighbours, an offset from the next window's start (no event can reach it earlier than that start).
/// </summary>
public readonly record struct SendBound(double Time, bool FromWindowStart)
{
    public static SendBound Never { get; } = new(double.PositiveInfinity, false);

    public static SendBound At(double time) => new(time, false);

    public static SendBound AfterWindowStart(double offset) => new(offset, true);
}
