using Akka.Actor;
using DecentralizedKD.Actors;
using DecentralizedKD.Core.Training;

namespace DecentralizedKD.Cluster.Hosting;

/// <summary>
/// The single-process run: one ActorSystem holding the coordinator, every agent and the evaluator (both cluster roles
/// in one process, no networking). Blocks until the coordinator reports the end of the run.
/// </summary>
public static class LocalRun
{
    public static RunResult Run(ExperimentSetup setup, IRunObserver? observer = null)
    {
        if (setup.Config.Mode == "async") return RunAsync(setup, observer);
        int threads = AkkaSettings.ComputeThreads(setup.Config.Threads);
        using var system = ActorSystem.Create("dkd", AkkaSettings.ForLocalRun(threads));
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

    /// <summary>Asynchronous mode: the deterministic virtual-time simulation (no actors yet; one thread).</summary>
    private static RunResult RunAsync(ExperimentSetup setup, IRunObserver? observer)
    {
        var outcome = AsyncRun.Run(setup, row =>
        {
            observer?.OnRoundCompleted(row.Round);
            observer?.OnMetrics(row);
        });
        return new RunResult(outcome.Metrics, outcome.FinalAgentAccuracies, outcome.BytesPerAgent, outcome.BytesByKind, null) { Async = outcome.Stats };
    }
}
