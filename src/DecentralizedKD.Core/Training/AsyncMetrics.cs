using DecentralizedKD.Core.Metrics;
using DecentralizedKD.Core.Optimization;
using DecentralizedKD.Core.Simulation;

namespace DecentralizedKD.Core.Training;

/// <summary>
/// Builds metrics rows in asynchronous mode. Row r uses every agent's model at the moment it completed its r-th
/// iteration; its virtual time is when the last agent got there. Agents that never reach r (permanently offline) are
/// left out when the run ends. With lock-step timing this reproduces the synchronous engine's rows exactly.
/// Accuracy, loss and consensus statistics are over the first <paramref name="learners"/> agents (all when null; the
/// FedAvg/FedDKD server, the last agent, is left out); time and bytes are over all agents. Without an
/// <paramref name="averagedModel"/> evaluator (agents' models differ) no averaged model exists: its accuracy and the
/// consensus distance are NaN (n/a).
/// </summary>
public sealed class AsyncMetrics(int agents, IParameterEvaluator? averagedModel, Action<MetricsRow>? onRow, int? learners = null) : IAsyncObserver
{
    /// <summary>One agent's evaluation after its r-th iteration, waiting until every agent has reported round r.</summary>
    public sealed record Report(double Time, double Accuracy, float[] Parameters, double LossSum, int Iterations, long Bytes);

    private readonly SortedDictionary<int, Report?[]> _pending = [];
    private readonly List<MetricsRow> _rows = [];
    private double _wallStart = Environment.TickCount64 / 1000.0;

    public IReadOnlyList<MetricsRow> Rows => _rows;
    public double[] LastAccuracies { get; private set; } = [];
    public float[]?[] LastParameters { get; private set; } = [];

    public void OnEvaluation(int agent, int completed, double time, double accuracy, float[] parameters, double lossSum, int iterations, long bytesSent)
    {
        if (!_pending.TryGetValue(completed, out var reports)) _pending[completed] = reports = new Report?[agents];
        reports[agent] = new Report(time, accuracy, parameters, lossSum, iterations, bytesSent);
        // Rows are emitted in round order: a round completes only after every earlier one.
        while (_pending.Count > 0 && _pending.First().Value.All(r => r is not null))
        {
            var first = _pending.First();
            _pending.Remove(first.Key);
            Emit(first.Key, first.Value!);
        }
    }

    /// <summary>The run ended: emit what is left (rounds some agents never reached).</summary>
    public void Finish()
    {
        foreach (var (round, reports) in _pending.ToList()) Emit(round, reports);
        _pending.Clear();
    }

    /// <summary>Everything a checkpoint needs: rows so far, the partial rows still waiting for agents, the last reports.</summary>
    public AsyncMetricsState Snapshot() => new(_rows.ToArray(), _pending.Select(kv => (kv.Key, kv.Value.ToArray())).ToArray(),
        LastAccuracies.ToArray(), LastParameters.ToArray(), Environment.TickCount64 / 1000.0 - _wallStart);

    /// <summary>Restores a fresh instance; wall_s of later rows continues from the saved wall time.</summary>
    public void Restore(AsyncMetricsState s)
    {
        if (_rows.Count > 0 || _pending.Count > 0) throw new InvalidOperationException("metrics can only be restored into a fresh instance");
        foreach (var (round, reports) in s.Pending)
        {
            if (reports.Length != agents) throw new InvalidDataException($"metrics: {reports.Length} reports for {agents} agents");
            _pending[round] = reports.ToArray();
        }
        _rows.AddRange(s.Rows);
        LastAccuracies = s.LastAccuracies.ToArray();
        LastParameters = s.LastParameters.ToArray();
        _wallStart = Environment.TickCount64 / 1000.0 - s.WallSeconds;
    }

    private void Emit(int round, Report?[] all)
    {
        var reports = all.Where(r => r is not null).Select(r => r!).ToArray();
        var learning = all.Take(learners ?? agents).Where(r => r is not null).Select(r => r!).ToArray();
        if (learning.Length == 0) return;
        var aggregate = EvaluationAggregate.Compute(learning.Select(r => r.Accuracy).ToArray(), learning.Select(r => r.Parameters).ToArray(), averagedModel is not null);
        int iterations = learning.Sum(r => r.Iterations);
        double loss = iterations > 0 ? Summation.InOrder(learning.Select(r => r.LossSum).ToArray()) / iterations : double.NaN;
        var row = new MetricsRow(round, reports.Max(r => r.Time), Environment.TickCount64 / 1000.0 - _wallStart,
            aggregate.Mean, aggregate.Min, aggregate.Max, averagedModel is { } evaluator && aggregate.Average is { } xbar ? evaluator.Accuracy(xbar) : double.NaN, loss, aggregate.Consensus,
            reports.Sum(r => r.Bytes));
        _rows.Add(row);
        LastAccuracies = all.Select(r => r?.Accuracy ?? double.NaN).ToArray();
        LastParameters = all.Select(r => r?.Parameters).ToArray();
        onRow?.Invoke(row);
    }
}
