using DecentralizedKD.Cli.CommandLine;
using DecentralizedKD.Cli.Running;
using DecentralizedKD.Cli.Sweeps;
using DecentralizedKD.Core;
using DecentralizedKD.Core.Training;
using DecentralizedKD.Hosting.Cluster;
using DecentralizedKD.Hosting.Config;
using DecentralizedKD.Hosting.Sweeps;
using DecentralizedKD.Hosting.Validation;
using Serilog;

namespace DecentralizedKD.Cli.Commands;

/// <summary>
/// <c>dkd host --role coordinator|worker --config C [--seed-node ADDR] ...</c>: one node of a multi-process run
/// (or, with <c>--sweep</c>, of a sweep across hosts). The coordinator writes the results directory like <c>dkd run</c> (plus hosts.csv) and prints
/// <c>results: DIR</c> last; a worker creates the agents placed on it and exits when the run ends. A coordinator
/// started with <c>--resume RUN</c> (instead of <c>--config</c>) continues RUN's last committed checkpoint on the
/// cluster, shipping each worker its agents' state files; workers then take <c>--config RUN/config.conf</c>.
/// </summary>
public sealed class HostCommand : ICommand
{
    public const int DefaultCoordinatorPort = 4053;

    public CommandSpec Spec { get; } = new("host",
        "one node (coordinator or worker) of a multi-process run, a resumed run or a sweep across hosts",
        options:
        [
            OptionSpec.Value("role", "coordinator|worker", "the coordinator drives the rounds and writes the results; a worker hosts agents",
                required: true),
            OptionSpec.Value("config", "C", "the experiment file, the same on every node (workers of a resumed run: RUN/config.conf)",
                required: true),
            OptionSpec.Value("resume", "RUN", "continue RUN's last committed checkpoint on the cluster (--set: host-local keys only)",
                required: true),
            OptionSpec.Value("seed-node", "ADDR", $"the coordinator's address, akka.tcp://{ClusterAkkaConfig.SystemName}@HOST:PORT (a worker needs it)"),
            OptionSpec.Value("hostname", "H", "address this node binds to", "the --seed-node host for the coordinator, else 127.0.0.1"),
            OptionSpec.Value("public-hostname", "H", "address the other nodes reach this one at (when it binds 0.0.0.0: NAT, containers)",
                "the --hostname address"),
            OptionSpec.Value("port", "P", "port this node listens on",
                $"the --seed-node port for the coordinator, else {DefaultCoordinatorPort}; a free port for a worker"),
            OptionSpec.Value("workers", "N", "worker hosts the coordinator waits for; sets cluster.workers", "the config's cluster.workers"),
            OptionSpec.Repeated("set", "key=value", "override one config key; every node must load the same experiment"),
            OptionSpec.Value("out", "DIR", "coordinator: where the run's folder (with --sweep: the sweep folder) is created",
                "experiment.output.dir; with --sweep results/NAME-TIMESTAMP"),
            OptionSpec.Value("sweep", "SWEEP", "run a sweep's runs on the workers, which pull them; the coordinator writes the sweep folder",
                required: true),
            OptionSpec.Value("parallel", "P", "sweep worker: runs at a time on this node", "cores ÷ the runs' compute threads"),
            OptionSpec.Value("tls-cert", "FILE", "TLS between all hosts with this PKCS#12 certificate (password in $DKD_TLS_PASSWORD; docs/security.md)",
                "the config's cluster.tls"),
        ],
        forms:
        [
            "--role --config --seed-node --hostname --public-hostname --port --workers --tls-cert --set --out",
            "--role=coordinator --resume --seed-node --hostname --public-hostname --port --workers --tls-cert --set",
            "--role --sweep --parallel --seed-node --hostname --public-hostname --port --workers --tls-cert --set --out",
        ],
        details: "The coordinator writes the results folder like dkd run (plus hosts.csv) and prints `results: DIR` last; a worker " +
                 "creates the agents placed on it and exits when the run ends. Start the coordinator first; the run begins when " +
                 "--workers workers have joined.");

    public int Run(ParsedArgs args, TextWriter output)
    {
        string role = args.RequiredString("role");
        if (role is not (ClusterAkkaConfig.CoordinatorRole or ClusterAkkaConfig.WorkerRole))
            throw new InputException($"dkd host: --role '{role}' is not one of coordinator, worker");
        var sets = args.All("set").ToList();
        if (args.Has("workers")) sets.Add($"cluster.workers={args.Int("workers", 1, 1, 10_000)}");
        if (args.String("tls-cert") is { } certificate) sets.AddRange(ClusterTls.CommandLineSets(certificate));
        var seedNode = args.String("seed-node") is { } sn ? ParseSeed(sn) : null;
        if (args.String("sweep") is { } sweep)
        {
            if (args.Has("config") || args.Has("resume")) throw new InputException("dkd host --sweep SWEEP takes its experiments from the sweep file; drop --config and --resume");
            return role == ClusterAkkaConfig.CoordinatorRole ? SweepCoordinator(args, sweep, sets, seedNode, output) : SweepWorker(args, sweep, sets, seedNode, output);
        }
        string? resume = args.String("resume");
        var loaded = resume is null ? ExperimentConfigLoader.Load(args.RequiredString("config"), sets) : LoadForResume(args, role, resume, sets);
        var seed = seedNode;
        return role == ClusterAkkaConfig.CoordinatorRole ? Coordinator(args, loaded, seed, output, resume) : Worker(args, loaded, seed, output);
    }

    /// <summary>
    /// --resume RUN: the experiment is RUN/config.conf (the checkpoint belongs to it); --set may only change where and
    /// how this node runs (host-local keys, cluster.*), never what the run computes.
    /// </summary>
    private static LoadedExperiment LoadForResume(ParsedArgs args, string role, string resume, IReadOnlyList<string> sets)
    {
        if (role != ClusterAkkaConfig.CoordinatorRole)
            throw new InputException("dkd host: --resume is for the coordinator; start workers with --config RUN/config.conf");
        if (args.Has("config")) throw new InputException("dkd host: --resume RUN takes the experiment from RUN/config.conf; drop --config");
        if (args.Has("out")) throw new InputException("dkd host: --resume RUN writes into RUN; drop --out");
        string configPath = ExperimentRunner.RunConfigPath(resume);
        var loaded = ExperimentConfigLoader.Load(configPath, sets);
        if (loaded.Fingerprint != ExperimentConfigLoader.Load(configPath).Fingerprint)
            throw new InputException("dkd host: --resume RUN: --set may change host-local keys only (cluster.*, threads, dataset.path, device, output.dir)");
        return loaded;
    }

    private static SeedNode ParseSeed(string text) =>
        SeedNode.TryParse(text, out var seed)
            ? seed
            : throw new InputException($"dkd host: --seed-node '{text}': expected an address like akka.tcp://{ClusterAkkaConfig.SystemName}@10.0.0.5:{DefaultCoordinatorPort}");

    private static NodeEndpoint Endpoint(ParsedArgs args, string defaultHost, int defaultPort) =>
        new(args.String("hostname") ?? defaultHost, args.Int("port", defaultPort, 0, 65535), args.String("public-hostname"));

    private static int Coordinator(ParsedArgs args, LoadedExperiment loaded, SeedNode? seed, TextWriter output, string? resume)
    {
        // The coordinator is the first seed: by default it listens where --seed-node says.
        var endpoint = Endpoint(args, seed?.Host ?? "127.0.0.1", seed?.Port ?? DefaultCoordinatorPort);
        IReadOnlyList<HostReport> hosts = [];
        ExperimentRunner.Engine engine = (process, observer, events, checkpoints, resumeFrom) =>
        {
            var node = CoordinatorNode.Start(process, loaded.Cluster, loaded.Fingerprint, endpoint, observer, checkpoints, resumeFrom, events);
            try
            {
                Log.Information("coordinator at {Address}: waiting for {Workers} worker(s) (dkd host --role worker --seed-node {Address})",
                    node.Seed, loaded.Cluster.Workers, node.Seed);
                var result = node.Result.GetAwaiter().GetResult();
                hosts = result.Hosts;
                return result.Run;
            }
            finally
            {
                node.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        };
        var outcome = resume is null ? ExperimentRunner.Execute(loaded, args.String("out"), engine) : ExperimentRunner.Resume(resume, engine);
        File.WriteAllText(Path.Combine(outcome.Directory, "hosts.csv"), HostsCsv.Render(hosts, loaded.Config.Rounds));
        foreach (var h in hosts)
            Log.Information("worker {Index} {Address}: agents {Agents}, payload bytes received {Bytes:N0}", h.Index, h.Address,
                Placement.Describe(h.Agents), HostsCsv.PayloadReceived(h));
        output.WriteLine($"results: {outcome.Directory}");
        return outcome.Result.Error is null ? Dkd.ExitOk : Dkd.ExitRunFailed;
    }

    private static int Worker(ParsedArgs args, LoadedExperiment loaded, SeedNode? seed, TextWriter output)
    {
        if (seed is null) throw new InputException("dkd host: a worker needs --seed-node (the coordinator's address)");
        var process = ValidationPipeline.Prepare(loaded, ValidationPurpose.Worker);
        string? error;
        var node = WorkerNode.Start(process, loaded.Cluster, loaded.Fingerprint, Endpoint(args, "127.0.0.1", 0), seed);
        try
        {
            Log.Information("worker at {Address}: joining {Seed}", node.AddressText, seed);
            error = node.Finished.GetAwaiter().GetResult();
            Log.Information("worker: run over, leaving the cluster");
        }
        finally
        {
            node.DisposeAsync().AsTask().GetAwaiter().GetResult();
            Log.Information("worker: left");
        }
        if (error is not null)
        {
            Log.Error("worker stopped: {Error}", error);
            return Dkd.ExitRunFailed;
        }
        output.WriteLine("worker done");
        return Dkd.ExitOk;
    }

    /// <summary>A sweep's coordinator node: every unfinished run goes to the workers; the sweep folder is written here.</summary>
    private static int SweepCoordinator(ParsedArgs args, string sweepFile, IReadOnlyList<string> sets, SeedNode? seed, TextWriter output)
    {
        var definition = SweepDefinition.Load(sweepFile, sets);
        var plan = SweepPlan.Build(definition);
        foreach (var run in plan.Runs) SweepCommand.Prepare(definition, run);   // every run checked before any worker starts one
        string dir = args.String("out") is { } o ? Path.GetFullPath(o) : SweepCommand.NewSweepDirectory(definition);
        SweepCommand.OpenSweepDirectory(dir, definition);
        var endpoint = Endpoint(args, seed?.Host ?? "127.0.0.1", seed?.Port ?? DefaultCoordinatorPort);
        var coordinator = new ClusterSweep.Coordinator(plan, dir, plan.Runs[0].Loaded.Cluster, endpoint);
        string? error;
        try
        {
            Log.Information("sweep coordinator at {Address}: workers join with dkd host --role worker --sweep {Sweep} --seed-node {Address}",
                coordinator.Address, sweepFile, coordinator.Address);
            error = coordinator.Done.GetAwaiter().GetResult();
        }
        finally
        {
            coordinator.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        if (error is not null) throw new InvalidOperationException(error);
        int failed = coordinator.WriteReports();
        output.WriteLine($"results: {dir}");
        return failed == 0 ? Dkd.ExitOk : Dkd.ExitRunFailed;
    }

    /// <summary>A sweep's worker node: pulls runs (one per free slot) until the coordinator says the sweep is done.</summary>
    private static int SweepWorker(ParsedArgs args, string sweepFile, IReadOnlyList<string> sets, SeedNode? seed, TextWriter output)
    {
        if (seed is null) throw new InputException("dkd host: a worker needs --seed-node (the coordinator's address)");
        var plan = SweepPlan.Build(SweepDefinition.Load(sweepFile, sets));
        int slots = args.Int("parallel", SweepCommand.DefaultParallel(plan), 1, 1024);
        var worker = new ClusterSweep.Worker(plan, seed, plan.Runs[0].Loaded.Cluster, Endpoint(args, "127.0.0.1", 0), slots);
        string? error;
        try
        {
            Log.Information("sweep worker at {Address} ({Slots} slot(s)): joining {Seed}", worker.Address, slots, seed);
            error = worker.Done.GetAwaiter().GetResult();
        }
        finally
        {
            worker.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        if (error is not null)
        {
            Log.Error("sweep worker stopped: {Error}", error);
            return Dkd.ExitRunFailed;
        }
        output.WriteLine("worker done");
        return Dkd.ExitOk;
    }
}
