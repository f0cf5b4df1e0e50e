using Akka.Actor;
using DecentralizedKD.Actors;
using DecentralizedKD.Actors.Hosts;
using DecentralizedKD.Core.Algorithms;
using DecentralizedKD.Core.Training;
using DecentralizedKD.Hosting.Cluster;
using DecentralizedKD.Hosting.Config;
using DecentralizedKD.Hosting.Local;
using DecentralizedKD.TestSupport;
using Xunit;
using Xunit.Abstractions;
using static DecentralizedKD.TestSupport.DeterministicMetrics;
using DecentralizedKD.Core.Wire;

namespace DecentralizedKD.Hosting.Tests;

/// <summary>
/// Cluster security with real ActorSystems in this process (coordinator + workers on 127.0.0.1): only the owner of an
/// agent speaks for it; the run secret admits workers; TLS between hosts. Every refused party leaves the run's results
/// unchanged and is named in one log line.
/// </summary>
[Collection("engine")]
[Trait(TestCategories.Category, TestCategories.Slow)]
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
        var setup = HostProcess.Build(loaded.Config);
        var single = LocalRun.Run(setup);
        Assert.Null(single.Error);

        var pause = new PauseAt(3);
        await using var cluster = InProcessCluster.Start(loaded, setup, pause);
        await pause.Reached.Task.WaitAsync(TimeSpan.FromSeconds(60));
        // Hosts are ordered by address: the second holds agents 3-4 and speaks, as its own host actor, for agents of the first.
        var (owner, impostor) = (cluster.WorkersInHostOrder[0], cluster.WorkersInHostOrder[1]);
        var impostorHost = await impostor.System.ActorSelection("/user/host").ResolveOne(TimeSpan.FromSeconds(10));
        var run = Remote(impostor.System, cluster.Coordinator.Address, "run");
        run.Tell(new RoundDone(0, 3, 123.0, 1, new Dictionary<string, long>()), impostorHost);
        run.Tell(new EvaluationReport(1, 3, 1.0, new float[setup.Plan.ParameterCount]), impostorHost);
        run.Tell(new AgentFailed(2, 3, "forged"), impostorHost);
        run.Tell(new HostRejected(0, "forged on behalf of host 0"), impostorHost);
        Remote(impostor.System, owner.Address, "host").Tell(new HostGossip(new ParameterPayload(3, 0, new float[setup.Plan.ParameterCount]), [1]), impostorHost);
        pause.Resume.Set();

        var result = await cluster.Result(90);
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

    [Fact]
    public async Task In_async_mode_window_reports_and_arrivals_for_agents_of_another_host_are_ignored_and_counted_and_the_events_are_unchanged()
    {
        string dir = Directory.CreateTempSubdirectory("dkd-owner-async-").FullName;
        try
        {
            var loaded = ExperimentConfigLoader.Load(null, [.. Small, "mode=async", "topology.kind=full", "network.latency.median=15ms"]);
            var setup = HostProcess.Build(loaded.Config);
            string singleEvents = Path.Combine(dir, "single.jsonl"), clusterEvents = Path.Combine(dir, "cluster.jsonl");
            Core.Runtime.RunResult single;
            using (var events = new Core.Simulation.EventsJsonl(singleEvents)) single = LocalRun.Run(setup, asyncObserver: events);
            Assert.Null(single.Error);

            var pause = new PauseAt(3);
            ClusterRunResult result;
            string owner, impostor;
            using (var events = new Core.Simulation.EventsJsonl(clusterEvents))
            {
                await using var cluster = InProcessCluster.Start(loaded, setup, pause, events: events);
                await pause.Reached.Task.WaitAsync(TimeSpan.FromSeconds(60));
                var ordered = cluster.WorkersInHostOrder;
                (owner, impostor) = (ordered[0].Address.ToString(), ordered[1].Address.ToString());
                var impostorHost = await ordered[1].System.ActorSelection("/user/host").ResolveOne(TimeSpan.FromSeconds(10));
                // Host 1 (agents 3-4) reports a window for agent 0 and sends host 0 a payload "from" agent 1.
                var report = new AgentWindowReport(0, [], 1.0, 0, new Dictionary<string, long>(), 1, Core.Simulation.SendBound.Never);
                Remote(ordered[1].System, cluster.Coordinator.Address, "run").Tell(new HostWindowDone(1, 1, [report], [], []), impostorHost);
                var payload = new ParameterPayload(1, 1, new float[setup.Plan.ParameterCount]);
                Remote(ordered[1].System, ordered[0].Address, "host")
                    .Tell(new HostArrivals(1, 1, [new ArrivalBundle(1, payload, [new ArrivalTarget(2, 0.5, 0)])]), impostorHost);
                pause.Resume.Set();
                result = await cluster.Result(90);
            }
            Assert.Null(result.Run.Error);
            Assert.Equal(Deterministic(single.Metrics), Deterministic(result.Run.Metrics));
            Assert.Equal(File.ReadAllLines(singleEvents), File.ReadAllLines(clusterEvents));
            Assert.Equal(new Dictionary<string, long> { [impostor] = 1 }, result.Dropped);
            Assert.Equal(1, result.Hosts.Single(h => h.Address == owner).Wire!.Dropped);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    /// <summary>A fresh environment variable holding <paramref name="value"/> (unique per test: tests share the process).</summary>
    private static string SecretVariable(string value)
    {
        string name = $"DKD_TEST_SECRET_{Guid.NewGuid().ToString("N").ToUpperInvariant()}";
        Environment.SetEnvironmentVariable(name, value);
        return name;
    }

    [Fact]
    public async Task Workers_with_a_wrong_or_no_run_secret_are_refused_with_one_line_each_and_the_run_completes_with_the_right_workers()
    {
        const string secret = "correct horse battery staple";
        var loaded = ExperimentConfigLoader.Load(null, [.. Small, $"cluster.secret-env={SecretVariable(secret)}"]);
        var wrong = ExperimentConfigLoader.Load(null, [.. Small, $"cluster.secret-env={SecretVariable("a guess")}"]);
        var none = ExperimentConfigLoader.Load(null, Small);
        Assert.Equal(loaded.Fingerprint, wrong.Fingerprint);   // the secret is host-local: not part of the experiment
        var setup = HostProcess.Build(loaded.Config);
        var single = LocalRun.Run(setup);
        Assert.Null(single.Error);

        await using var cluster = InProcessCluster.StartCoordinator(loaded, setup);
        var warnings = new WarningLog(cluster.Coordinator.System);
        var intruders = new[] { wrong, none }.Select(l => cluster.AddWorker(startedWith: l)).ToArray();
        // Both refused before the right workers even start: a refused worker never takes a place in the run.
        await Bounded.Until(() => warnings.Lines.Count(l => l.Contains("refused worker")) == 2, "both intruders refused");
        foreach (var intruder in intruders)
        {
            string reason = (await intruder.Finished.WaitAsync(TimeSpan.FromSeconds(30)))!;
            Assert.Contains("refused this worker", reason);
            Assert.Single(warnings.Lines, l => l.Contains($"refused worker {intruder.Address}"));
        }
        Assert.Contains(warnings.Lines, l => l.Contains($"refused worker {intruders[0].Address}: it does not prove the run secret"));
        Assert.Contains(warnings.Lines, l => l.Contains($"refused worker {intruders[1].Address}: it has no run secret"));

        var workers = Enumerable.Range(0, 2).Select(_ => cluster.AddWorker()).ToArray();
        var result = await cluster.Result(90);
        Assert.Null(result.Run.Error);
        Assert.Equal(Deterministic(single.Metrics), Deterministic(result.Run.Metrics));
        Assert.Equal(single.FinalAgentAccuracies, result.Run.FinalAgentAccuracies);
        Assert.Equal(workers.Select(w => w.Address.ToString()).Order(), result.Hosts.Select(h => h.Address).Order());
        Assert.All(warnings.Lines, l => Assert.DoesNotContain(secret, l));
    }

    [Fact]
    public async Task A_worker_with_a_run_secret_refuses_a_coordinator_that_does_not_prove_it_and_the_run_says_so()
    {
        var withSecret = ExperimentConfigLoader.Load(null, [.. Small, "cluster.workers=1", $"cluster.secret-env={SecretVariable("s3cret")}"]);
        var without = ExperimentConfigLoader.Load(null, [.. Small, "cluster.workers=1"]);
        var setup = HostProcess.Build(without.Config);
        await using var cluster = InProcessCluster.StartCoordinator(without, setup);
        var worker = cluster.AddWorker(startedWith: withSecret);
        var result = await cluster.Result(60);
        Assert.Contains($"{worker.Address}", result.Run.Error);
        Assert.Contains("has a run secret (experiment.cluster.secret-env) that the coordinator node did not prove", result.Run.Error);
    }

    [Fact]
    public void A_named_secret_variable_that_is_not_set_or_a_secret_pasted_as_the_name_is_one_input_error_naming_the_key()
    {
        string unset = $"DKD_TEST_UNSET_{Guid.NewGuid().ToString("N").ToUpperInvariant()}";
        var loaded = ExperimentConfigLoader.Load(null, [.. Small, $"cluster.secret-env={unset}"]);
        var e = Assert.Throws<Core.InputException>(() => ClusterCredentials.Secret(loaded.Cluster));
        Assert.StartsWith($"experiment.cluster.secret-env = {unset}: the environment variable {unset} is not set", e.Message);
        foreach (string secret in new[] { "\"hunter2 !\"", "hunter2", "Xk9fQ2pL" })
        {
            var pasted = Assert.Throws<Core.InputException>(() => ExperimentConfigLoader.Load(null, [.. Small, $"cluster.secret-env={secret}"]));
            Assert.Equal("experiment.cluster.secret-env: expected the name of an environment variable (A-Z, 0-9, _), not the secret itself", pasted.Message);
        }
    }

    [Theory]
    [InlineData("127.0.0.1", false)]
    [InlineData("localhost", false)]
    [InlineData("::1", false)]
    [InlineData("0.0.0.0", true)]
    [InlineData("10.0.0.5", true)]
    [InlineData("node7.example.org", true)]
    public void Without_a_run_secret_a_coordinator_listening_beyond_loopback_warns_that_the_cluster_is_unauthenticated(string host, bool warns)
    {
        Assert.Equal(warns, ClusterCredentials.UnauthenticatedWarning(new NodeEndpoint(host), secret: null) is not null);
        Assert.Null(ClusterCredentials.UnauthenticatedWarning(new NodeEndpoint(host), new RunSecret("x")));
    }
}
