using System.Runtime.InteropServices;

namespace DecentralizedKD.Core.Runtime;

/// <summary>
/// glibc malloc tuning for libtorch's allocation pattern. Every training step allocates and frees activation
/// buffers of a few hundred KB; with glibc's defaults those are mmap'ed/trimmed back to the OS and page-faulted in
/// again on every step. Measured with `dkd bench` (ring-16 LeNet-5, one compute thread): 130–200 ms per round and
/// ~20 s of system time without this, 52 ms with it. Raising the trim and mmap thresholds keeps freed memory in the
/// process for reuse. Must run before heavy torch use; harmless elsewhere (no-op off Linux/glibc).
/// </summary>
public static class NativeAllocator
{
    private const int M_TRIM_THRESHOLD = -1;
    private const int M_MMAP_THRESHOLD = -3;
    private static int _tuned;

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int Mallopt(int param, int value);

    public static void KeepFreedMemoryInProcess()
    {
        if (Interlocked.Exchange(ref _tuned, 1) == 1 || !OperatingSystem.IsLinux()) return;
        try
        {
            Mallopt(M_TRIM_THRESHOLD, 512 << 20);
            Mallopt(M_MMAP_THRESHOLD, 32 << 20); // glibc's maximum for 64-bit
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc (e.g. musl): keep the allocator's defaults.
        }
    }
}
