using DecentralizedKD.Core.Plugins;

namespace DecentralizedKD.Core.Config;

/// <summary><c>experiment.device</c>: where this host's agents compute (resolved per host, see DevicePlacement).</summary>
public enum DeviceSetting
{
    Cpu,
    Cuda,

    /// <summary>The GPUs when there are any, else the CPU.</summary>
    Auto,

    /// <summary>The GPU code path on the CPU (tests; equal to <see cref="Cpu"/> bit for bit).</summary>
    CpuStaged,
}

public static class DeviceSettings
{
    public static readonly KeywordTable<DeviceSetting> Table =
        new(("cpu", DeviceSetting.Cpu), ("cuda", DeviceSetting.Cuda), ("auto", DeviceSetting.Auto), ("cpu-staged", DeviceSetting.CpuStaged));

    public static string Name(this DeviceSetting setting) => Table.NameOf(setting);
}
