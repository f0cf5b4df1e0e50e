using System.Globalization;

namespace DecentralizedKD.Core.Runtime;

/// <summary>
/// This process's resident memory from <c>/proc/self/status</c>: VmRSS (pages in RAM now: managed heap, libtorch's
/// native allocations, code, the dataset) and VmHWM (the peak of VmRSS since the process started). Both are whole-
/// process numbers in bytes; null where /proc is not available (not Linux).
/// </summary>
public static class ProcessMemory
{
    public static long? ResidentBytes() => Read("VmRSS:");

    public static long? PeakResidentBytes() => Read("VmHWM:");

    private static long? Read(string field)
    {
        const string status = "/proc/self/status";
        if (!File.Exists(status)) return null;
        foreach (string line in File.ReadLines(status))
            if (line.StartsWith(field, StringComparison.Ordinal))
                return ParseKilobytes(line[field.Length..]);
        return null;
    }

    /// <summary>"   123456 kB" → bytes.</summary>
    internal static long? ParseKilobytes(string value)
    {
        string[] parts = value.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 2 && parts[1] == "kB" && long.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out long kb)
            ? kb * 1024
            : null;
    }
}
