using System.Globalization;
using DecentralizedKD.Core.Randomness;

namespace DecentralizedKD.Core.Simulation;

/// <summary>
/// When agents are offline (they neither compute, send nor receive; messages to them are lost). Kinds: none;
/// bernoulli (each agent is offline for a whole period with probability p, independently per agent and period, drawn
/// lazily from a seeded hash so any period can be queried in O(1)); schedule (explicit offline intervals from a file).
/// </summary>
public abstract class ChurnSchedule
{
    public abstract bool IsOnline(int agent, double time);

    /// <summary>The first time strictly after <paramref name="time"/> at which the agent's state changes (∞ if never).</summary>
    public abstract double NextTransition(int agent, double time);

    public static ChurnSchedule None { get; } = new NoChurn();

    private sealed class NoChurn : ChurnSchedule
    {
        public override bool IsOnline(int agent, double time) => true;
        public override double NextTransition(int agent, double time) => double.PositiveInfinity;
    }

    public sealed class Bernoulli : ChurnSchedule
    {
        private readonly double _p, _period;
        private readonly ulong _seed;
        private const int HorizonPeriods = 1_000_000;

        public Bernoulli(double pOffline, double periodSeconds, ulong seed)
        {
            if (pOffline is < 0 or >= 1 || double.IsNaN(pOffline)) throw new InputException($"churn.p-offline = {pOffline}: expected a probability in [0, 1)");
            if (!(periodSeconds > 0)) throw new InputException($"churn.period = {periodSeconds}s: expected a positive duration");
            _p = pOffline;
            _period = periodSeconds;
            _seed = seed;
        }

        private bool OfflineIn(int agent, long period) =>
            new Rng(Rng.DeriveSeed(_seed, ((long)agent << 32) | (uint)period, "churn")).NextDouble() < _p;

        public override bool IsOnline(int agent, double time) => !OfflineIn(agent, PeriodOf(time));

        /// <summary>
        /// The period k with k·period ≤ time &lt; (k+1)·period, exactly as transition times are computed. Plain
        /// floor(time / period) can round down at a boundary (0.48 / 0.06 = 7.999…), which put the transition at 0.48
        /// back into period 7 and made <see cref="NextTransition"/> return 0.48 again, forever.
        /// </summary>
        private long PeriodOf(double time)
        {
            long k = (long)Math.Floor(time / _period);
            while ((k + 1) * _period <= time) k++;
            while (k * _period > time) k--;
            return k;
        }

        public override double NextTransition(int agent, double time)
        {
            long k = PeriodOf(time);
            bool state = OfflineIn(agent, k);
            for (long next = k + 1; next < k + HorizonPeriods; next++)
                if (OfflineIn(agent, next) != state) return next * _period;
            return double.PositiveInfinity;
        }
    }

    /// <summary>Offline intervals [from, to) per agent, e.g. read from a file of "agent from to" lines (seconds).</summary>
    public sealed class Intervals : ChurnSchedule
    {
        private readonly Dictionary<int, (double From, double To)[]> _offline;

        public Intervals(IEnumerable<(int Agent, double From, double To)> intervals)
        {
            _offline = intervals.GroupBy(i => i.Agent)
                .ToDictionary(g => g.Key, g => g.Select(i => (i.From, i.To)).OrderBy(i => i.From).ToArray());
        }

        public override bool IsOnline(int agent, double time) =>
            !_offline.TryGetValue(agent, out var list) || !list.Any(i => time >= i.From && time < i.To);

        public override double NextTransition(int agent, double time)
        {
            if (!_offline.TryGetValue(agent, out var list)) return double.PositiveInfinity;
            double best = double.PositiveInfinity;
            foreach (var (from, to) in list)
            {
                if (from > time) best = Math.Min(best, from);
                if (to > time) best = Math.Min(best, to);
            }
            return best;
        }

        public static Intervals ReadFile(string path, int agents)
        {
            if (!File.Exists(path)) throw new InputException($"churn schedule file '{path}' not found");
            var list = new List<(int, double, double)>();
            int lineNo = 0;
            foreach (string raw in File.ReadLines(path))
            {
                lineNo++;
                string line = raw.Split('#')[0].Trim();
                if (line.Length == 0) continue;
                var p = line.Split([' ', '\t', ','], StringSplitOptions.RemoveEmptyEntries);
                if (p.Length != 3
                    || !int.TryParse(p[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out int a)
                    || !double.TryParse(p[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double from)
                    || !double.TryParse(p[2], NumberStyles.Float, CultureInfo.InvariantCulture, out double to))
                    throw new InputException($"churn schedule file '{path}' line {lineNo}: expected 'agent from to' (seconds), got '{raw.Trim()}'");
                if (a < 0 || a >= agents) throw new InputException($"churn schedule file '{path}' line {lineNo}: agent {a} outside 0..{agents - 1}");
                if (!(from >= 0 && to > from)) throw new InputException($"churn schedule file '{path}' line {lineNo}: need 0 <= from < to, got {from} .. {to}");
                list.Add((a, from, to));
            }
            return new Intervals(list);
        }
    }
}
