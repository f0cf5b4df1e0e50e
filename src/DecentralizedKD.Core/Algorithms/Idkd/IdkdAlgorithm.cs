using DecentralizedKD.Core.Checkpoint;
using DecentralizedKD.Core.Config;
using DecentralizedKD.Core.Data;
using DecentralizedKD.Core.Models;
using DecentralizedKD.Core.Topology.Schedules;
using DecentralizedKD.Core.Wire;
using DecentralizedKD.Core.State;

namespace DecentralizedKD.Core.Algorithms.Idkd;

/// <summary>
/// IDKD: QGM training (epfml EMA form, delegated to a <see cref="Qgm"/> that runs on the IDKD
/// training source, so every iteration gossips parameters with W, self included) plus label exchanges on a schedule.
/// An exchange iteration has two phases: phase 0 is the usual parameter gossip, phase 1 the soft-label payload, which
/// is built from the freshly mixed model. After phase 1 the node fine-tunes on private ∪ selected public samples.
/// </summary>
public sealed class IdkdAlgorithm : IAgentAlgorithm, ICheckpointable
{
    private readonly Qgm _qgm;
    private readonly IdkdTrainingSource _source;
    private readonly ClassifierModel _model;
    private readonly PublicPool _pool;
    private readonly Dataset _train;
    private readonly int[] _validation;
    private readonly IdkdConfig _config;
    private readonly AgentLinks _links;
    private readonly PublicSampleCounts? _counts;

    /// <param name="validation">Own samples held out from training for Youden calibration (empty for fixed τ).</param>
    public IdkdAlgorithm(Qgm qgm, IdkdTrainingSource source, ClassifierModel model, PublicPool pool, Dataset train, int[] validation,
        IdkdConfig config, ExchangeSchedule schedule, AgentLinks links, IReadOnlyList<int[]> histograms, PublicSampleCounts? counts)
    {
        if (config.Calibration == IdkdCalibration.Youden && validation.Length == 0)
            throw new InputException("experiment.algorithm.idkd.validation-fraction: calibration = youden needs a non-empty validation split");
        _qgm = qgm;
        _source = source;
        _model = model;
        _pool = pool;
        _train = train;
        _validation = validation;
        _config = config;
        Schedule = schedule;
        _links = links;
        _counts = counts;
        var selection = config.Selection;
        Labels = new LabelExchange(links.Self, histograms, selection, model.NumClasses);
    }

    public ExchangeSchedule Schedule { get; }
    public LabelExchange Labels { get; }

    /// <summary>The MSP threshold used at the first exchange (NaN before it).</summary>
    public double Threshold { get; private set; } = double.NaN;

    /// <summary>How many public samples this node's own detector kept at the first exchange.</summary>
    public int Flagged { get; private set; }

    public int Phases(int round) => Schedule.IsExchange(round) ? 2 : 1;

    public void LocalWork(int round) => _qgm.LocalWork(round);

    public Payload? Outgoing(int round, int phase, int neighbour) =>
        phase == 0 ? _qgm.Outgoing(round, phase, neighbour) : Labels.Outgoing(round);

    public int ExpectedPayloads(int round, int phase) => phase == 0 ? _qgm.ExpectedPayloads(round, phase) : _links.RowAt(round).Degree;

    public void Receive(Payload payload)
    {
        if (payload is SoftLabelPayload labels) Labels.Receive(labels);
        else _qgm.Receive(payload);
    }

    public void Combine(int round, int phase)
    {
        if (phase == 0)
        {
            _qgm.Combine(round, phase);
            if (Schedule.IsExchange(round)) Labels.Prepare(round, 1, Detect);
            return;
        }
        var selected = Labels.Combine(round);
        _source.UsePublic(selected, Labels.Completed - 1);
        _counts?.RecordSelected(_links.Self, selected.Count);
    }

    /// <summary>First exchange: score the whole public pool with the current (mixed) model and keep max p &gt; τ.</summary>
    private SoftLabels Detect()
    {
        double t = _config.Temperature;
        var (probabilities, scores) = MspDetector.Score(_model, _pool.Count, _pool.Features, t);
        Threshold = _config.Calibration == IdkdCalibration.Youden
            ? YoudenThreshold.Compute(MspDetector.Score(_model, _validation.Length, (s, n) => _train.BatchFeatures(_validation.AsSpan(s, n)), t).Scores, scores)
            : _config.Threshold;
        var kept = MspDetector.Keep(probabilities, scores, _model.NumClasses, Threshold);
        Flagged = kept.Count;
        _counts?.RecordFlagged(_links.Self, kept.Count);
        return kept;
    }

    /// <summary>
    /// Checkpoint: QGM's state (which holds the training source: parameters, fine-tuning labels and batch stream),
    /// the label exchange (exchanges completed, labels to relay), and the detector's outcome at the first exchange
    /// (calibrated threshold, flagged count). The exchange schedule is a function of the round and the config.
    /// </summary>
    public void SaveState(BinaryWriter w)
    {
        w.WriteTag("idkd");
        _qgm.SaveState(w);
        Labels.SaveState(w);
        w.Write(Threshold);
        w.Write(Flagged);
    }

    public void LoadState(BinaryReader r)
    {
        r.ExpectTag("idkd");
        _qgm.LoadState(r);
        Labels.LoadState(r, _pool.Count);
        Threshold = r.ReadDouble();
        int flagged = r.ReadInt32();
        if (flagged < 0 || flagged > _pool.Count) throw new InvalidDataException($"idkd: {flagged} flagged of a public pool of {_pool.Count}");
        Flagged = flagged;
        // The report's counters live outside the agent (agents.csv, summary.md): a resumed run starts them from here.
        _counts?.RecordFlagged(_links.Self, Flagged);
        _counts?.RecordSelected(_links.Self, Labels.Selected.Count);
    }

    public double LastLoss => _qgm.LastLoss;

    public void UseSelfForMissingNeighbours() => _qgm.UseSelfForMissingNeighbours();

    public void UseBufferPool(Memory.FloatBufferPool pool) => _qgm.UseBufferPool(pool);

    public void ReleasePayloadsAfterEachIteration() => _qgm.ReleasePayloadsAfterEachIteration();

    public void RoundClosed(int round) => _qgm.RoundClosed(round);

    /// <summary>QGM's arrays; the label exchange's soft labels (a few per public sample) are not counted.</summary>
    public long? StateBytes => _qgm.StateBytes;

    public ReadOnlySpan<float> Parameters => _qgm.Parameters;

    /// <summary>Disposes the QGM part, which disposes the training source and its flat view; the model belongs to the runtime.</summary>
    public void Dispose() => _qgm.Dispose();
}
