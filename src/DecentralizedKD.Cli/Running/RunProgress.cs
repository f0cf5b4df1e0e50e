using System.Diagnostics;
using DecentralizedKD.Core.Metrics;
using DecentralizedKD.Core.Simulation;
using Serilog;

namespace DecentralizedKD.Cli.Running;

/// <summary>
/// Receives progress from the coordinator (on its thread): streams metrics rows to metrics.csv and logs round,
/// accuracy and ETA. Interactive terminals additionally get a Spectre.Console progress bar via <see cref="OnTick"/>.
/// </summary>
/// <param name="averagedModel">false when agents' models differ: the lines say n/a for the averaged model and consensus.</param>
public sealed class RunProgress(MetricsCsv csv, int rounds, string name, bool averagedModel = true) : IRunObserver
{
    private readonly Stopwatch _wall = Stopwatch.StartNew();
    private int _lastLoggedTenth;

    public Action<int, MetricsRow?>? OnTick { get; set; }

    /// <summary>Per-evaluation lines at debug level only (a sweep logs one line per finished run instead).</summary>
    public bool Quiet { get; init; }

    public void OnMetrics(MetricsRow row)
    {
        csv.Append(row);
        var level = Quiet ? Serilog.Events.LogEventLevel.Debug : Serilog.Events.LogEventLevel.Information;
        if (averagedModel)
            Log.Write(level, "{Name} round {Round}/{Rounds}: mean acc {MeanAcc:P2} (min {MinAcc:P2}, max {MaxAcc:P2}), averaged model {AvgAcc:P2}, consensus {Consensus:G3}, loss {Loss:F4}, ETA {Eta}",
                name, row.Round, rounds, row.MeanAcc, row.MinAcc, row.MaxAcc, row.AvgModelAcc, row.ConsensusDistance, row.TrainLoss, Eta(row.Round));
        else
            Log.Write(level, "{Name} round {Round}/{Rounds}: mean acc {MeanAcc:P2} (min {MinAcc:P2}, max {MaxAcc:P2}), averaged model n/a, consensus n/a (models differ), loss {Loss:F4}, ETA {Eta}",
                name, row.Round, rounds, row.MeanAcc, row.MinAcc, row.MaxAcc, row.TrainLoss, Eta(row.Round));
        OnTick?.Invoke(row.Round, row);
    }

    public void OnRoundCompleted(int completedRounds)
    {
        OnTick?.Invoke(completedRounds, null);
        int tenth = (int)(10L * completedRounds / rounds);
        if (tenth > _lastLoggedTenth && OnTick is null)
        {
            _lastLoggedTenth = tenth;
            Log.Debug("{Name} {Done}/{Rounds} rounds, ETA {Eta}", name, completedRounds, rounds, Eta(completedRounds));
        }
    }

    private string Eta(int done)
    {
        if (done <= 0) return "?";
        double remaining = _wall.Elapsed.TotalSeconds / done * (rounds - done);
        return TimeSpan.FromSeconds(Math.Round(remaining)).ToString();
    }
}
