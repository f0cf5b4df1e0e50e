namespace DecentralizedKD.Core.Simulation;

/// <summary>
/// Chooses the conservative time windows of an asynchronous run: which agents run the next window and how far each
/// may go. An agent hears only from its neighbours, and a neighbour sends only when a computation ends, so agent i may
/// handle every event before its horizon H_i = min over its senders j of (earliest send of j + shortest link latency):
/// nothing can reach it earlier. The earliest sends come from what the agents report (<see cref="SendBound"/>: the
/// end of the computation under way, the return from being offline, or a step after the next window's start for an
/// agent waiting on its neighbours), so horizons are about a step ahead even when links can be arbitrarily fast, and
/// agents whose neighbourhoods are busier or idler than others' move on independently. Events at the earliest pending
/// instant W may always run (a message sent at W arrives after W). Agents with no event before their horizon are not
/// in the window at all. Bookkeeping is O(log N) per agent that reported and per message routed; planning a window
/// scans the agents with pending events once, O(degree) each, with no allocation per agent.
/// </summary>
public sealed class WindowPlanner
{
    private readonly double _lookahead;
    private readonly IReadOnlyList<IReadOnlyList<int>> _senders;
    private readonly double[] _next;
    private readonly SendBound[] _bound;
    private readonly int[] _completed;
    private readonly SortedSet<(double Time, int Agent)> _byNext = [];
    private readonly SortedDictionary<int, int> _agentsAtCompleted = [];

    /// <param name="lookahead">The shortest latency any link can have (0 for exponential and lognormal latency).</param>
    /// <param name="senders">For each agent, the agents that can send to it (its neighbours).</param>
    public WindowPlanner(int agents, double lookahead, IReadOnlyList<IReadOnlyList<int>> senders)
    {
        _lookahead = lookahead;
        _senders = senders;
        _next = Enumerable.Repeat(double.PositiveInfinity, agents).ToArray();
        _bound = Enumerable.Repeat(SendBound.Never, agents).ToArray();
        _completed = new int[agents];
        _agentsAtCompleted[0] = agents;
    }

    public int Agents => _next.Length;

    /// <summary>Windows planned so far, and the sum of their active agents (the mean is what sparse windows save).</summary>
    public long Windows { get; private set; }
    public long ActiveAgentWindows { get; private set; }

    /// <summary>The fewest iterations any agent has completed (checkpoints are due by the slowest agent).</summary>
    public int SlowestCompleted => _agentsAtCompleted.First().Key;

    /// <summary>
    /// No agent has anything pending before this time, so nothing observed later can be earlier: the replay frontier
    /// of <see cref="ObservationBuffer"/>. ∞ when the run is over.
    /// </summary>
    public double NextEventTime => _byNext.Count > 0 ? _byNext.Min.Time : double.PositiveInfinity;

    /// <summary>
    /// Agents that have completed this many iterations sit out the windows until the rest catch up (a checkpoint is
    /// taken there); when nobody else has anything to do, they run anyway (an agent offline for good must not stall
    /// the run — the checkpoint is then skipped, as it would be without holding).
    /// </summary>
    public int Hold { get; set; } = int.MaxValue;

    /// <summary>Whether the last planned window let held agents run (none of the others had an event).</summary>
    public bool HoldReleased { get; private set; }

    /// <summary>Continues counters saved in a checkpoint.</summary>
    public void RestoreCounters(long windows, long activeAgentWindows)
    {
        Windows = windows;
        ActiveAgentWindows = activeAgentWindows;
    }

    /// <summary>Agent <paramref name="agent"/> finished a window (or started): its state as it reported it.</summary>
    public void Update(int agent, double nextEventTime, SendBound bound, int completedIterations)
    {
        SetNext(agent, nextEventTime);
        _bound[agent] = bound;
        int before = _completed[agent];
        if (completedIterations == before) return;
        if (--_agentsAtCompleted[before] == 0) _agentsAtCompleted.Remove(before);
        _agentsAtCompleted[completedIterations] = _agentsAtCompleted.GetValueOrDefault(completedIterations) + 1;
        _completed[agent] = completedIterations;
    }

    /// <summary>A message routed to <paramref name="agent"/> arrives at <paramref name="time"/>.</summary>
    public void ArrivalDue(int agent, double time)
    {
        if (time < _next[agent]) SetNext(agent, time);
    }

    /// <summary>
    /// Plans the next window: false when no event is pending (the run is over); else the agents with an event before
    /// their horizon, ascending, each with its horizon (it handles its events strictly before it). Counts the window.
    /// </summary>
    public bool TryPlan(List<(int Agent, double End)> active)
    {
        active.Clear();
        double start = NextEventTime;
        if (double.IsPositiveInfinity(start)) return false;
        double floor = Math.BitIncrement(start);
        void Collect(int hold)
        {
            foreach (var (time, agent) in _byNext)
            {
                if (_completed[agent] >= hold) continue;
                double end = Math.Max(Horizon(agent, start), floor);
                if (time < end) active.Add((agent, end));
            }
        }
        Collect(Hold);
        HoldReleased = active.Count == 0;
        if (HoldReleased) Collect(int.MaxValue);
        active.Sort((a, b) => a.Agent.CompareTo(b.Agent));
        Windows++;
        ActiveAgentWindows += active.Count;
        return true;
    }

    /// <summary>How far agent <paramref name="agent"/> may go in a window starting at <paramref name="start"/>.</summary>
    private double Horizon(int agent, double start)
    {
        double horizon = double.PositiveInfinity;
        foreach (int j in _senders[agent])
        {
            var b = _bound[j];
            double send = b.FromWindowStart ? start + b.Time : b.Time;
            horizon = Math.Min(horizon, send + _lookahead);
        }
        return horizon;
    }

    private void SetNext(int agent, double time)
    {
        if (!double.IsPositiveInfinity(_next[agent])) _byNext.Remove((_next[agent], agent));
        _next[agent] = time;
        if (!double.IsPositiveInfinity(time)) _byNext.Add((time, agent));
    }
}
