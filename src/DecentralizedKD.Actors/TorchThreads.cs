using TorchSharp;

namespace DecentralizedKD.Actors;

/// <summary>
/// libtorch's intra-op thread count latches per OS thread, so every compute thread sets it to 1
/// before its first torch call. Parallelism comes from running agents on several dispatcher threads, and one thread
/// per agent computation keeps results bit-identical whatever the number of workers.
/// </summary>
internal static class TorchThreads
{
    [ThreadStatic] private static bool _initialised;

    public static void EnsureSingleThreaded()
    {
        if (_initialised) return;
        torch.set_num_threads(1);
        _initialised = true;
    }
}
