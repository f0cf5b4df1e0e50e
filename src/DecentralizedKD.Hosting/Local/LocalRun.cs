using Akka.Actor;
using DecentralizedKD.Actors;
using DecentralizedKD.Core;
using DecentralizedKD.Core.Checkpoint;
using DecentralizedKD.Core.Config;
using DecentralizedKD.Core.Runtime;
using DecentralizedKD.Core.Simulation;
using DecentralizedKD.Core.Training;

namespace DecentralizedKD.Hosting.Local;

/// <summary>
/// The single-process run: one ActorSystem holding the coordinator, every agent and the evaluator (both cluster roles
/// in one process, no networking). Blocks until the coordinator reports the end of the run.
/// </summary>
public static class LocalRun
{
    /// <param name="checkpoints">Synchronous or asynchronous mode: where and how often to checkpoint (null = never).</param>
    /// <param name="resumeFrom">Continue from this committed checkpoint of <paramref name="checkpoints"/> (a
    /// <see cref="CoordinatorState"/> in sync mode, an <see cref="AsyncCoordinatorState"/> in async mode): the coordinator
    /// restores this state and every agent loads its own file when it is created.</param>
    /// <param name="akkaOverrides">Extra actor-system settings for the synchronous run (tests: serialize-messages).</param>
    public static RunResult Run(HostProcess process, IRunObserver? observer = null, IAsyncObserver? asyncObserver = null,
        RunCheckpoints? checkpoints = null, IResumeState? resumeFrom = null, RunHooks? hooks = null,
        ActorSystemOverrides? akkaOverrides = null)
    {
        if (resumeFrom is not null && checkpoints is null) throw new ArgumentException("resuming needs the run's checkpoints", nameof(checkpoints));
        if (process.Plan.Config.Mode is RunMode.Async or RunMode.Realtime)
        {
            // Realtime runs follow the wall clock: a resumed one could never repeat the interrupted one.
            if (checkpoints is not null && process.Plan.Config.Mode == RunMode.Realtime)
                throw new InputException("experiment.checkpoint.every: checkpoints need experiment.mode = sync or async, not realtime");
            return RunAsync(process, observer, asyncObserver, hooks ?? new RunHooks(), checkpoints, Expect<AsyncCoordinatorState>(resumeFrom));
        }
        return RunSync(process, observer, checkpoints, Expect<CoordinatorState>(resumeFrom), hooks ?? new RunHooks(), akkaOverrides);
    }

    private static T? Expect<T>(IResumeState? state) where T : class, IResumeState =>
        state is null or T ? state as T : throw new ArgumentException($"a {state.GetType().Name} cannot resume this mode's run", nameof(state));

    private static RunResult RunSync(HostProcess process, IRunObserver? observer, RunCheckpoints? checkpoints, CoordinatorState? resumeFrom,
        RunHooks hooks, ActorSystemOverrides? akkaOverrides)
    {
        int threads = AkkaSettings.ComputeThreads(process.Plan.Config.Threads);
        var akka = AkkaSettings.ForLocalRun(threads);
        using var system = ActorSystem.Create("dkd", akkaOverrides is null ? akka : akkaOverrides.Config.WithFallback(akka));
        try
        {
            hooks.BeforeAgents?.Invoke();
            var created = new AgentCounter(process.Plan.Config.AgentCount, hooks.AgentsCreated);
            var done = new TaskCompletionSource<RunResult>(TaskCreationOptions.RunContinuationsAsynchronously);
            var c = process.Plan.Config;
            var settings = new CoordinatorSettings(c.AgentCount, c.Rounds, process.Plan.NeighbourLists, c.EvaluatesAfter, process.Plan.VirtualTimeAfter,
                checkpoints, resumeFrom, c.Agents) { AverageModels = !process.Plan.ModelsDiffer };
            var dispatcher = AkkaSettings.ComputeDispatcher;
            system.ActorOf(CoordinatorActor.Props(settings,
                (ctx, i) => ctx.ActorOf(AgentActor.Props(i, () => created.Count(CreateAgent(process, i, checkpoints, resumeFrom)), ctx.Self, dispatcher), $"agent-{i}"),
                EvaluatorActor.Props(process.CreateEvaluator, dispatcher), observer, done), "coordinator");
            return done.Task.GetAwaiter().GetResult();
        }
        finally
        {
            system.Terminate().Wait(TimeSpan.FromSeconds(30));
        }
    }

    /// <summary>A fresh agent, or (resuming) one that has loaded its state from the checkpoint — on its own compute thread.</summary>
    private static IAgentRuntime CreateAgent(HostProcess process, int id, RunCheckpoints? checkpoints, CoordinatorState? resumeFrom)
    {
        var agent = process.CreateAgent(id);
        if (resumeFrom is null || checkpoints is null) return agent;
        try
        {
            int round = resumeFrom.CompletedRounds;
            AgentCheckpoint.Load(checkpoints.AgentFile(round, id), checkpoints.AgentHeader(round, id), agent.Algorithm);
            return agent;
        }
        catch
        {
            agent.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Asynchronous mode: agents as actors on the compute dispatcher, advanced in conservative virtual-time windows by
    /// the async coordinator — deterministic whatever the number of compute threads. Realtime mode: the same agents on
    /// the wall clock with scheduler delays (demos; not reproducible).
    /// </summary>
    private static RunResult RunAsync(HostProcess process, IRunObserver? observer, IAsyncObserver? extra, RunHooks hooks,
        RunCheckpoints? checkpoints, AsyncCoordinatorState? resumeFrom)
    {
        var c = process.Plan.Config;
        var world = AsyncRun.Prepare(process);
        int threads = AkkaSettings.ComputeThreads(c.Threads);
        using var system = ActorSystem.Create("dkd", AkkaSettings.ForLocalRun(threads));
        IParameterEvaluator? evaluator = null;
        try
        {
            hooks.BeforeAgents?.Invoke();
            var created = new AgentCounter(c.AgentCount, hooks.AgentsCreated);
            var stats = new AsyncStats();
            if (resumeFrom is not null) stats.Restore(resumeFrom.Stats);
            AsyncMetrics? metrics = null;
            // The averaged-model evaluator is created lazily on the coordinator's compute thread (torch threads = 1);
            // agents with different models have no averaged model to evaluate.
            var lazyEvaluator = process.Plan.ModelsDiffer ? null : new LazyEvaluator(() => evaluator = process.CreateEvaluator());
            metrics = new AsyncMetrics(c.AgentCount, lazyEvaluator, row =>
            {
                observer?.OnRoundCompleted(row.Round);
                observer?.OnMetrics(row);
            }, c.Agents);
            if (resumeFrom is not null) metrics.Restore(resumeFrom.Metrics);
            var checkpointing = checkpoints is null ? null
                : new AsyncCheckpointing(checkpoints, metrics, stats, extra as ICheckpointedLog, resumeFrom?.CompletedRounds ?? 0);
            IAsyncObserver sink = extra is null ? new ObserverFanOut(metrics, stats) : new ObserverFanOut(metrics, stats, extra);
            var done = new TaskCompletionSource<AsyncWindowResult>(TaskCreationOptions.RunContinuationsAsynchronously);
            var dispatcher = AkkaSettings.ComputeDispatcher;
            var coordinator = c.Mode == RunMode.Realtime
                ? RealtimeCoordinatorActor.Props(c.AgentCount, process.Plan.NeighbourLists,
                    (ctx, i, clock) => ctx.ActorOf(RealtimeAgentActor.Props(i, obs => created.Count(world.CreateAgent(i, obs)), ctx.Self, clock, dispatcher), $"agent-{i}"),
                    sink, done, metrics.Finish, dispatcher)
                : AsyncCoordinatorActor.Props(c.AgentCount, world.Lookahead, process.Plan.NeighbourLists,
                    (ctx, i) => ctx.ActorOf(AsyncAgentActor.Props(i, obs => created.Count(CreateAsyncAgent(world, i, obs, checkpoints, resumeFrom)), ctx.Self, dispatcher), $"agent-{i}"),
                    sink, done, metrics.Finish, dispatcher, checkpointing, resumeFrom);
            system.ActorOf(coordinator, "coordinator");
            var result = done.Task.GetAwaiter().GetResult();
            return new RunResult(metrics.Rows, metrics.LastAccuracies, result.BytesPerAgent, result.BytesByKind, result.Error)
            {
                Async = stats,
                FinalAgentParameters = metrics.LastParameters,
                Windows = c.Mode == RunMode.Async ? new WindowCounts(result.Windows, result.ActiveAgentWindows, c.AgentCount) : null,
            };
        }
        finally
        {
            system.Terminate().Wait(TimeSpan.FromSeconds(30));
            evaluator?.Dispose();
        }
    }

    /// <summary>A fresh asynchronous agent, or (resuming) one restored from its state file — on its own compute thread.</summary>
    private static AsyncAgent CreateAsyncAgent(AsyncRun.World world, int id, IAsyncObserver observer, RunCheckpoints? checkpoints, AsyncCoordinatorState? resumeFrom)
    {
        var agent = world.CreateAgent(id, observer);
        if (resumeFrom is null || checkpoints is null) return agent;
        try
        {
            int round = resumeFrom.CompletedRounds;
            StateFile.Read(checkpoints.AgentFile(round, id), checkpoints.AgentHeader(round, id), agent.LoadState);
            return agent;
        }
        catch
        {
            agent.Dispose();
            throw;
        }
    }

    /// <summary>Defers creating the evaluator (a torch model) to the first use, on the thread that uses it.</summary>
    private sealed class LazyEvaluator(Func<IParameterEvaluator> create) : IParameterEvaluator
    {
        private IParameterEvaluator? _inner;
        public double Accuracy(ReadOnlySpan<float> parameters) => (_inner ??= create()).Accuracy(parameters);
        public void Dispose() { }
    }

    /// <summary>Counts agents as their compute threads finish creating them; the last one fires the callback.</summary>
    private sealed class AgentCounter(int agents, Action? allCreated)
    {
        private int _created;

        public T Count<T>(T agent)
        {
            if (Interlocked.Increment(ref _created) == agents) allCreated?.Invoke();
            return agent;
        }
    }
}

/// <summary>Optional callbacks around agent creation (used to measure memory per agent).</summary>
public sealed record RunHooks
{
    /// <summary>After the actor system is up, before any agent is created (on the calling thread).</summary>
    public Action? BeforeAgents { get; init; }

    /// <summary>Once every agent exists (on the compute thread that created the last one).</summary>
    public Action? AgentsCreated { get; init; }
}
