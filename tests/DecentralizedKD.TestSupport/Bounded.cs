namespace DecentralizedKD.TestSupport;

/// <summary>
/// Waits that always end: a run that fails early or hangs must fail its test with a message naming what it waited for,
/// never hang the suite. The bounds are hang guards, far above what a loaded machine needs, not timing assertions.
/// The waits resume off the caller's synchronization context (xUnit's has one thread per core, which tests computing
/// synchronously can hold for seconds); the caller's own await still returns to its context.
/// </summary>
public static class Bounded
{
    /// <summary>
    /// Polls <paramref name="condition"/> until it holds; throws after <paramref name="seconds"/>, with what
    /// <paramref name="diagnostics"/> returns then (e.g. a child process's output so far) appended to the message.
    /// </summary>
    public static async Task Until(Func<bool> condition, string what, int seconds = 60, Func<string>? diagnostics = null)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow >= deadline)
                throw new TimeoutException($"waited {seconds}s for {what}" + (diagnostics is null ? "" : $"\n{diagnostics()}"));
            await Task.Delay(20).ConfigureAwait(false);
        }
    }

    /// <summary><paramref name="task"/>'s result, or a failure naming <paramref name="what"/> after <paramref name="seconds"/>.</summary>
    public static async Task<T> Within<T>(Task<T> task, string what, int seconds = 60)
    {
        await Within((Task)task, what, seconds).ConfigureAwait(false);
        return await task.ConfigureAwait(false);
    }

    /// <summary>Waits for <paramref name="task"/>; throws naming <paramref name="what"/> after <paramref name="seconds"/>.</summary>
    public static async Task Within(Task task, string what, int seconds = 60)
    {
        if (await Task.WhenAny(task, Task.Delay(TimeSpan.FromSeconds(seconds))).ConfigureAwait(false) != task)
            throw new TimeoutException($"waited {seconds}s for {what}");
        await task.ConfigureAwait(false);
    }

    /// <summary>Joins <paramref name="thread"/>; throws naming <paramref name="what"/> if it is still running after <paramref name="seconds"/>.</summary>
    public static void Join(Thread thread, string what, int seconds = 600)
    {
        if (!thread.Join(TimeSpan.FromSeconds(seconds))) throw new TimeoutException($"waited {seconds}s for {what}");
    }
}
