namespace DecentralizedKD.TestSupport;

/// <summary>
/// The child processes a test starts: all are killed (with their children) when the test ends, and a failure of the
/// test body run through <see cref="Explain"/> carries the tail of every child's stderr and stdout.
/// </summary>
public sealed class ChildProcesses : IDisposable
{
    private readonly List<ChildProcess> _started = [];

    /// <summary>Starts the built dkd with <paramref name="args"/>; <paramref name="name"/> labels its output.</summary>
    public ChildProcess Dkd(string name, params string[] args) => DkdWith(name, null, args);

    /// <summary>As <see cref="Dkd"/>, with extra environment variables for the child.</summary>
    public ChildProcess DkdWith(string name, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var process = ChildProcess.Start(name, ChildProcess.DkdPath, args, environment);
        lock (_started) _started.Add(process);
        return process;
    }

    /// <summary>Waits for every process started so far to exit (each bounded by <paramref name="seconds"/>).</summary>
    public Task WaitForAll(int seconds)
    {
        lock (_started) return Task.WhenAll(_started.Select(p => p.WaitForExit(seconds)));
    }

    /// <summary>The output tails of every process started so far.</summary>
    public string Tails()
    {
        lock (_started) return string.Join('\n', _started.Select(p => p.Tail()));
    }

    /// <summary>
    /// Runs <paramref name="body"/>; if it throws (a failed assertion, a bound that ran out), the failure is rethrown
    /// with the output tails of every child appended, so that a failure on a busy machine can be diagnosed from the log.
    /// </summary>
    public async Task Explain(Func<Task> body)
    {
        try
        {
            await body().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            throw new ChildOutputException($"{e.Message}\n\nchild processes:\n{Tails()}", e);
        }
    }

    public void Dispose()
    {
        lock (_started)
            foreach (var p in _started) p.Dispose();
    }
}
