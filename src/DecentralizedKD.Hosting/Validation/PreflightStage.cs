using DecentralizedKD.Core;
using DecentralizedKD.Core.Config;
using DecentralizedKD.Core.Training;

namespace DecentralizedKD.Hosting.Validation;

/// <summary>
/// Stage 6: the checks that need the built experiment (dataset sizes, the asynchronous mode's link and churn files,
/// the method's own construction), run before the results directory is created: an input error found here leaves
/// nothing on disk. Agent 0 (and, when agents' models differ, the first agent of every other model) is built and
/// disposed once, so whatever its algorithm checks at construction fails here rather than inside an actor after the
/// run has started.
/// </summary>
public sealed class PreflightStage : IValidationStage
{
    public string Name => "preflight";

    public void Run(ValidationContext context) => Check(context.Process!);

    public static void Check(HostProcess process)
    {
        var c = process.Plan.Config;
        int train = process.Plan.Data.Train.Count, test = process.Plan.Data.Test.Count;
        if (c.Dataset.TestSamples > test)
            throw new InputException($"experiment.dataset.test-samples = {c.Dataset.TestSamples}: the {c.Dataset.Name} test set has only {test} samples (0 = all of them)");
        if (c.Optimizer.BatchSize > train)
            throw new InputException($"experiment.optimizer.batch-size = {c.Optimizer.BatchSize}: larger than the whole {c.Dataset.Name} training set ({train} samples)");
        if (c.Mode != RunMode.Sync) AsyncRun.Prepare(process);
        ProbeAgent(process);
    }

    /// <summary>On a fresh thread: libtorch latches its intra-op thread count per thread (see BareLoop).</summary>
    private static void ProbeAgent(HostProcess process)
    {
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                TorchSharp.torch.set_num_threads(1);
                // On the CPU: the probe checks the algorithm's construction, and a cluster coordinator has no GPU to spare.
                foreach (var kind in process.Plan.ModelKinds) process.CreateAgent(kind.Agents[0], Core.Models.ComputeDevice.Cpu).Dispose();
            }
            catch (Exception e) { failure = e; }
        }) { IsBackground = true, Name = "dkd-preflight" };
        thread.Start();
        thread.Join();
        if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
    }
}
