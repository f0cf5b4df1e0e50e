using Akka.Actor;
using DecentralizedKD.Actors;
using DecentralizedKD.Actors.Hosts;
using DecentralizedKD.Core.Algorithms;
using DecentralizedKD.Core.Training;
using DecentralizedKD.Hosting.Cluster;
using DecentralizedKD.Hosting.Config;
using DecentralizedKD.Hosting.Local;
using Xunit;
using Xunit.Abstractions;
using static DecentralizedKD.Hosting.Tests.DeterministicMetrics;

namespace DecentralizedKD.Hosting.Tests;

/// <summary>
/// Cluster security with real ActorSystems in this process (coordinator + workers on 127.0.0.1): only the owner of an
/// agent speaks for it; the run secret admits workers; TLS between hosts. Every refused party leaves the run's results
/// unchanged and is named in one log line.
/// </summary>
[Collection("engine")]
public sealed class ClusterSecurityTests(ITestOutputHelper output)
{
    // 5 agents over 2 workers in blocks, ring 0-1-2-3-4-0: {0,1,2} and {3,4}.
    private static readonly string[] Small =
        ["agents=5", "rounds=6", "eval-every=3", "dataset.test-samples=300", "partition.alpha=0.5", "model.name=mlp",
         "model.hidden=[16]", "threads=1", "cluster.workers=2"];

    private static IActorRef Remote(ActorSystem from, Address to, string path) =>
        ((ExtendedActorSystem)from).Provider.ResolveActorRef(new RootActorPath(to) / "user" / path);

    [Fact]
    public async Task A_host_speaking_for_agents_it_does_not_own_is_ignored_and_counted_and_the_metrics_are_the_single_process_ones()
    {
        var loaded = ExperimentConfigLoader.Load(null, Small);
        var setup = ExperimentSetup.Build(loaded.Config);
        var single = LocalRun.Run(setup);
        Assert.Null(single.Error);

        var pause = new PauseAt(3);
        await using var coordinator = CoordinatorNode.Start(setup, loaded.Cluster, loaded.Fingerprint, new NodeEndpoint(), pause);
        var workers = Enumerable.Range(0, 2)
            .Select(_ => WorkerNode.Start(setup, loaded.Cluster, loaded.Fingerprint, new NodeEndpoint(), coordinator.Address)).ToArray();
        try
        {
            await pause.Reached.Task.WaitAsync(TimeSpan.FromSeconds(60));
            // Hosts are ordered by address: the second holds agents 3-4 and speaks, as its own host actor, for agents of the first.
            var ordered = workers.OrderBy(w => w.Address, Akka.Cluster.Member.AddressOrdering).ToArray();
            var (owner, impostor) = (ordered[0], ordered[1]);
            var impostorHost = await impostor.System.ActorSelection("/user/host").ResolveOne(TimeSpan.FromSeconds(10));
            var run = Remote(impostor.System, coordinator.Address, "run");
            run.Tell(new RoundDone(0, 3, 123.0, 1, new Dictionary<string, long>()), impostorHost);
            run.Tell(new EvaluationReport(1, 3, 1.0, new float[setup.ParameterCount]), impostorHost);
            run.Tell(new AgentFailed(2, 3, "forged"), impostorHost);
            run.Tell(new HostRejected(0, "forged on behalf of host 0"), impostorHost);
            Remote(impostor.System, owner.Address, "host").Tell(new HostGossip(new ParameterPayload(3, 0, new float[setup.ParameterCount]), [1]), impostorHost);
            pause.Resume.Set();

            var result = await coordinator.Result.WaitAsync(TimeSpan.FromSeconds(90));
            Assert.Null(result.Run.Error);
            Assert.Equal(Deterministic(single.Metrics), Deterministic(result.Run.Metrics));
            Assert.Equal(single.FinalAgentAccuracies, result.Run.FinalAgentAccuracies);
            // Messages from the impostor travel in order with its later genuine reports, which the run needed to finish.
            Assert.Equal(new Dictionary<string, long> { [impostor.Address.ToString()] = 4 }, result.Dropped);
            var ownerReport = result.Hosts.Single(h => h.Address == owner.Address.ToString());
            Assert.Equal(1, ownerReport.Wire!.Dropped);
            Assert.Equal(0, result.Hosts.Single(h => h.Address == impostor.Address.ToString()).Wire!.Dropped);
            output.WriteLine(string.Join(", ", result.Dropped.Select(kv => $"{kv.Key}: {kv.Value}")));
        }
        finally
        {
            await Task.WhenAll(workers.Select(w => w.DisposeAsync().AsTask()));
        }
    }
}
