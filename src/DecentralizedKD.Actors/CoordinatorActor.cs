using System.Diagnostics;
using Akka.Actor;
using DecentralizedKD.Core.Metrics;
using DecentralizedKD.Core.Optimization;
using DecentralizedKD.Core.Runtime;
using DecentralizedKD.Core.Simulation;

namespace DecentralizedKD.Actors;

/// <summary>
/// The synchronous-round barrier: starts round r on every agent, waits for every agent's
/// <see cref="RoundDone"/>, then either evaluates or starts round r+1. It DeathWatches the agents: a failure ends
/// the run with an error naming the agent and round, never a hang. Metrics rows are assembled here in agent order,
/// so they do not depend on which agent answered first.
/// </summary>
public sealed partial class CoordinatorActor : ReceiveActor
{
    public delegate IActorRef SpawnAgent(IUntypedActorContext context, int agentId);

    private readonly CoordinatorSettings _settings;
    private readonly SpawnAgent _spawnAgent;
    private readonly Props? _evaluatorProps;
    private readonly IRunObserver? _observer;
    private readonly TaskCompletionSource<RunResult> _done;
    private readonly IActorRef[] _agents;
    private readonly Dictionary<IActorRef, int> _agentIds = [];
    private IActorRef? _evaluator;
    private readonly Stopwatch _wall = new();

    private int _ready;
    private int _round;
    private bool _roundRunning;
    private readonly bool[] _doneThisRound;
    // Live agents the barrier (or the evaluation) still waits for: a count, so that each report costs O(1), not a scan
    // of all agents (which made a round O(N²) in the number of agents).
    private int _awaitedDone, _awaitedReports;
    // Per-agent loss sums, combined in agent order at evaluation: summing in RoundDone arrival order would make the
    // train_loss column depend on thread timing (floating-point addition is not associative).
    private readonly double[] _lossSums;
    private int _lossCount;
    private readonly long[] _bytesPerAgent;
    private readonly Dictionary<string, long> _bytesByKind = [];
    private long _bytesTotal;
    private readonly EvaluationReport?[] _reports;
    private bool _evaluating;
    private readonly List<MetricsRow> _rows = [];
    private double[] _lastAccuracies = [];
    private float[]?[] _lastParameters = [];
    private double _pendingMean, _pendingMin, _pendingMax, _pendingConsensus, _pendingLoss;
    private bool _finished;
    private string? _childError;

    public CoordinatorActor(CoordinatorSettings settings, SpawnAgent spawnAgent, Props? evaluatorProps,
        IRunObserver? observer, TaskCompletionSource<RunResult> done)
    {
        _settings = settings;
        _spawnAgent = spawnAgent;
        _evaluatorProps = evaluatorProps;
        _observer = observer;
        _done = done;
        _agents = new IActorRef[settings.Agents];
        _doneThisRound = new bool[settings.Agents];
        _bytesPerAgent = new long[settings.Agents];
        _lossSums = new double[settings.Agents];
        _reports = new EvaluationReport?[settings.Agents];

        Receive<AgentReady>(OnReady);
        Receive<RoundDone>(OnRoundDone);
        Receive<EvaluationReport>(OnReport);
        Receive<AverageEvaluated>(OnAverage);
        Receive<AgentStateSaved>(OnStateSaved);
        Receive<AgentFailed>(m => Fail($"agent {m.AgentId} failed in round {m.Round}: {m.Error}"));
        Receive<Terminated>(OnTerminated);
        Receive<AbortRun>(m => Fail($"{m.Reason} in round {_round}"));
        Receive<AgentsLost>(OnAgentsLost);
    }

    public static Props Props(CoordinatorSettings settings, SpawnAgent spawnAgent, Props? evaluatorProps,
        IRunObserver? observer, TaskCompletionSource<RunResult> done) =>
        Akka.Actor.Props.Create(() => new CoordinatorActor(settings, spawnAgent, evaluatorProps, observer, done));

    // A child that throws outside its own guard (e.g. while being constructed) is stopped, not restarted:
    // restarting would silently lose its training state.
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(e =>
    {
        _childError ??= $"{e.GetType().Name}: {e.Message}";
        return Directive.Stop;
    });

    protected override void PreStart()
    {
        for (int i = 0; i < _settings.Agents; i++)
        {
            _agents[i] = _spawnAgent(Context, i);
            _agentIds[_agents[i]] = i;
            if (_settings.WatchAgents) Context.Watch(_agents[i]);
        }
        if (_evaluatorProps is not null) _evaluator = Context.ActorOf(_evaluatorProps, "evaluator");
        for (int i = 0; i < _settings.Agents; i++)
        {
            var neighbours = _settings.Neighbours[i].ToDictionary(j => j, j => _agents[j]);
            _agents[i].Tell(new SetNeighbours(neighbours));
        }
    }

    private void OnReady(AgentReady m)
    {
        if (++_ready < _settings.Agents) return;
        _wall.Start();
        if (_settings.ResumeFrom is { } state)
        {
            Restore(state);
            Proceed(state.CompletedRounds);
        }
        else StartRound(0);
    }

    private void StartRound(int round)
    {
        _round = round;
        _roundRunning = true;
        Array.Clear(_doneThisRound);
        _awaitedDone = LiveAgentCount;
        foreach (int i in LiveAgents()) _agents[i].Tell(new StartRound(round));
    }

    private void OnRoundDone(RoundDone m)
    {
        if (_finished || IsLost(m.AgentId)) return;
        if (!_roundRunning || m.Round != _round || _doneThisRound[m.AgentId])
        {
            Fail($"protocol error: agent {m.AgentId} reported round {m.Round} while round {_round} is running");
            return;
        }
        _doneThisRound[m.AgentId] = true;
        _awaitedDone--;
        if (m.AgentId < _settings.LearnerCount)
        {
            _lossSums[m.AgentId] += m.Loss;
            _lossCount++;
        }
        _bytesPerAgent[m.AgentId] += m.BytesSent;
        _bytesTotal += m.BytesSent;
        foreach (var (kind, bytes) in m.BytesByKind) _bytesByKind[kind] = _bytesByKind.GetValueOrDefault(kind) + bytes;
        TryEndRound();
    }

    /// <summary>The round is over once every agent still in the run has reported it.</summary>
    private void TryEndRound()
    {
        if (!_roundRunning || _awaitedDone > 0) return;
        _roundRunning = false;
        int completed = _round + 1;
        _observer?.OnRoundCompleted(completed);
        if (_settings.EvaluatesAfter(completed))
        {
            _evaluating = true;
            Array.Clear(_reports);
            _awaitedReports = LiveAgentCount;
            foreach (int i in LiveAgents()) _agents[i].Tell(new Evaluate(completed));
        }
        else AfterRound(completed);
    }

    private void OnReport(EvaluationReport m)
    {
        if (_finished || IsLost(m.AgentId))
        {
            m.Buffer?.Release();
            return;
        }
        if (_reports[m.AgentId] is { } earlier) earlier.Buffer?.Release();   // a duplicate: the newer one counts
        else _awaitedReports--;
        _reports[m.AgentId] = m;
        TryEndEvaluation();
    }

    /// <summary>Row statistics over the agents still in the run (all of them unless a host was lost, see CoordinatorHostLoss.cs).</summary>
    private void TryEndEvaluation()
    {
        if (!_evaluating || _awaitedReports > 0) return;
        _evaluating = false;
        var learners = LiveAgents().Where(i => i < _settings.LearnerCount).Select(i => _reports[i]!).ToArray();
        var aggregate = EvaluationAggregate.Compute(learners.Select(r => r.Accuracy).ToArray(), learners.Select(r => r.Parameters).ToArray(),
            _settings.AverageModels);
        _lastAccuracies = _reports.Select(r => r?.Accuracy ?? double.NaN).ToArray();
        int completedRounds = learners[0].CompletedRounds;
        _lastParameters = _reports.Select(r => FinalOrReleased(r, completedRounds)).ToArray();
        _pendingMean = aggregate.Mean;
        _pendingMin = aggregate.Min;
        _pendingMax = aggregate.Max;
        _pendingConsensus = aggregate.Consensus;
        var xbar = aggregate.Average;
        _pendingLoss = _lossCount > 0 ? Summation.InOrder(_lossSums) / _lossCount : double.NaN;
        Array.Clear(_lossSums);
        _lossCount = 0;
        if (_evaluator is not null && xbar is not null) _evaluator.Tell(new EvaluateAverage(completedRounds, xbar));
        else OnAverage(new AverageEvaluated(completedRounds, double.NaN));
    }

    /// <summary>
    /// The final evaluation's parameters are the run's result (per-agent final metrics): pooled copies leave the pool for
    /// good. Earlier ones are only needed for this row: they go back, so the next round's snapshots reuse them.
    /// </summary>
    private float[]? FinalOrReleased(EvaluationReport? report, int completedRounds)
    {
        if (report?.Buffer is not { } buffer) return report?.Parameters;
        if (completedRounds >= _settings.Rounds) return buffer.Keep();
        buffer.Release();
        return null;
    }

    private void OnAverage(AverageEvaluated m)
    {
        if (_finished) return;
        var row = new MetricsRow(m.CompletedRounds, _settings.VirtualTimeAfter(m.CompletedRounds), WallSeconds,
            _pendingMean, _pendingMin, _pendingMax, m.Accuracy, _pendingLoss, _pendingConsensus, _bytesTotal);
        _rows.Add(row);
        _observer?.OnMetrics(row);
        AfterRound(m.CompletedRounds);
    }

    /// <summary>A round is finished (and evaluated if due): checkpoint if due, then go on.</summary>
    private void AfterRound(int completed)
    {
        if (_settings.Checkpoints?.IsDue(completed) == true) BeginCheckpoint(completed);
        else Proceed(completed);
    }

    private void Proceed(int completed)
    {
        if (completed >= _settings.Rounds) Finish();
        else StartRound(completed);
    }

    private void OnTerminated(Terminated t)
    {
        if (_finished) return;
        string who = _agentIds.TryGetValue(t.ActorRef, out int id) ? $"agent {id}" : t.ActorRef.Path.Name;
        // An agent on another cluster host: name the host too.
        if (t.ActorRef.Path.Address.HasGlobalScope) who += $" on host {t.ActorRef.Path.Address}";
        Fail($"{who} stopped unexpectedly in round {_round}" + (_childError is null ? "" : $": {_childError}"));
    }

    private void Finish() => Complete(null);

    private void Fail(string error) => Complete(error);

    private void Complete(string? error)
    {
        if (_finished) return;
        _finished = true;
        _done.TrySetResult(new RunResult(_rows, _lastAccuracies, _bytesPerAgent, _bytesByKind, error)
            { FinalAgentParameters = _lastParameters, HostLosses = _hostLosses });
        Context.Stop(Self);
    }
}
