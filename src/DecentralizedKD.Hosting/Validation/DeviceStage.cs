using DecentralizedKD.Core.Config;
using DecentralizedKD.Core.Training;
using Serilog;

namespace DecentralizedKD.Hosting.Validation;

/// <summary>
/// Stage 8, in a process whose agents compute here (a single-process run, a cluster worker, <c>dkd scale</c>):
/// <c>experiment.device = cuda</c> without a GPU is an input error before anything starts. Logs where the agents go
/// unless that is the plain CPU.
/// </summary>
public sealed class DeviceStage : IValidationStage
{
    public string Name => "devices";

    public void Run(ValidationContext context) => Check(context.Process!);

    public static void Check(HostProcess process)
    {
        var devices = process.CheckAgentDevices();
        if (devices.Count == 1 && !devices[0].Staged) return;
        Log.Information("experiment.device = {Setting}: agents on {Devices} (taken in turn), evaluator on {Evaluator}",
            process.Plan.Config.Device.Name(), string.Join(", ", devices), process.Devices.Evaluation);
    }

    /// <summary>
    /// The summary.md line on devices; null for the plain CPU default. <paramref name="agentsHere"/>: whether this
    /// process holds the agents (else they sit on cluster workers, each resolving the setting on its own GPUs).
    /// </summary>
    public static string? SummaryLine(HostProcess process, bool agentsHere)
    {
        string setting = process.Plan.Config.Device.Name();
        if (process.Plan.Config.Device == DeviceSetting.Cpu) return null;
        if (!agentsHere)
            return $"- device: `{setting}`, resolved by each worker host on its own GPUs (see the workers' logs); averaged model evaluated on {process.Devices.Evaluation}";
        var devices = process.CheckAgentDevices();
        string where = $"agents on {string.Join(", ", devices)}{(devices.Count > 1 ? " (taken in turn)" : "")}, averaged model on {process.Devices.Evaluation}";
        string note = devices.Any(d => d.IsCuda) ? "; GPU results are reproducible only statistically"
            : devices.Any(d => d.Staged) ? "; the GPU code path on the CPU, equal to `cpu` bit for bit" : "";
        return $"- device: `{setting}`: {where}{note}";
    }
}
