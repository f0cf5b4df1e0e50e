using Akka.Actor;
using DecentralizedKD.Actors;
using DecentralizedKD.Core.Simulation;
using DecentralizedKD.Core.Training;

namespace DecentralizedKD.Cluster.Hosting;

/// <summary>
/// The single-process run: one ActorSystem holding the coordinator, every agent and the evaluator (both cluster roles
/// in one process, no networking). Blocks until the coordinator reports the end of the run.
/// </summary>
public static class LocalRun
{
    /// <param name="akkaOverrides">Extra actor-system settings for the synchronous run (tests: serialize-messages).</param>
    public static RunResult Run(ExperimentSetup setup, IRunObserver? observer = null, IAsyncObserver? asyncObserver = null,
        Akka.Configuration.Config? akkaOverrides = null)
    {
        if (setup.Config.Mode is "async" or "realtime") return RunAsync(setup, observer, asyncObserver);
        int threads = AkkaSettings.ComputeThreads(setup.Config.Threads);
        var akka = AkkaSettings.ForLocalRun(threads);
        using var system = ActorSystem.Create("dkd", akkaOverrides is null ? akka : akkaOverrides.WithFallback(akka));
        try
        {
            var done = new TaskCompletionSource<RunResult>(TaskCreationOptions.RunContinuationsAsynchronously);
            var c = setup.Config;
            var settings = new CoordinatorSettings(c.Agents, c.Rounds, setup.NeighbourLists, c.EvaluatesAfter, setup.VirtualTimeAfter);
            var dispatcher = AkkaSettings.ComputeDispatcher;
            system.ActorOf(CoordinatorActor.Props(settings,
                (ctx, i) => ctx.ActorOf(AgentActor.Props(i, () => setup.CreateAgent(i), ctx.Self, dispatcher), $"agent-{i}"),
                EvaluatorActor.Props(setup.CreateEvaluator, dispatcher), observer, done), "coordinator");
            return done.Task.GetAwaiter().GetResult();
        }
        finally
        {
            system.Terminate().Wait(TimeSpan.FromSeconds(30));
        }
    }

    /// <summary>
    /// Asynchronous mode: agents as actors on the compute dispatcher, advanced in conservative virtual-time windows by
    /// the async coordinator — deterministic whatever the number of compute threads. Realtime mode: the same agents on
    /// the wall clock with scheduler delays (demos; not reproducible).
    /// </summary>
    private static RunResult RunAsync(ExperimentSetup setup, IRunObserver? observer, IAsyncObserver? extra = null)
    {
        var c = setup.Config;
        var world = AsyncRun.Prepare(setup);
        int threads = AkkaSettings.ComputeThreads(c.Threads);
        using var system = ActorSystem.Create("dkd", AkkaSettings.ForLocalRun(threads));
        IParameterEvaluator? evaluator = null;
        try
        {
            var stats = new AsyncStats();
            AsyncMetrics? metrics = null;
            // The averaged-model evaluator is created lazily on the coordinator's compute thread (torch threads = 1).
            var lazyEvaluator = new LazyEvaluator(() => evaluator = setup.CreateEvaluator());
            metrics = new AsyncMetrics(c.Agents, lazyEvaluator, row =>
            {
                observer?.OnRoundCompleted(row.Round);
                observer?.OnMetrics(row);
            });
            IAsyncObserver sink = extra is null ? new ObserverFanOut(metrics, stats) : new ObserverFanOut(metrics, stats, extra);
            var done = new TaskCompletionSource<AsyncWindowResult>(TaskCreationOptions.RunContinuationsAsynchronously);
            var dispatcher = AkkaSettings.ComputeDispatcher;
            var coordinator = c.Mode == "realtime"
                ? RealtimeCoordinatorActor.Props(c.Agents, setup.NeighbourLists,
                    (ctx, i, clock) => ctx.ActorOf(RealtimeAgentActor.Props(i, obs => world.CreateAgent(i, obs), ctx.Self, clock, dispatcher), $"agent-{i}"),
                    sink, done, metrics.Finish, dispatcher)
                : AsyncCoordinatorActor.Props(c.Agents, world.Lookahead,
                    (ctx, i) => ctx.ActorOf(AsyncAgentActor.Props(i, obs => world.CreateAgent(i, obs), ctx.Self, dispatcher), $"agent-{i}"),
                    sink, done, metrics.Finish, dispatcher);
            system.ActorOf(coordinator, "coordinator");
            var result = done.Task.GetAwaiter().GetResult();
            return new RunResult(metrics.Rows, metrics.LastAccuracies, result.BytesPerAgent, result.BytesByKind, result.Error) { Async = stats };
        }
        finally
        {
            system.Terminate().Wait(TimeSpan.FromSeconds(30));
            evaluator?.Dispose();
        }
    }

    /// <summary>Defers creating the evaluator (a torch model) to the first use, on the thread that uses it.</summary>
    private sealed class LazyEvaluator(Func<IParameterEvaluator> create) : IParameterEvaluator
    {
        private IParameterEvaluator? _inner;
        public double Accuracy(ReadOnlySpan<float> parameters) => (_inner ??= create()).Accuracy(parameters);
        public void Dispose() { }
    }
}
