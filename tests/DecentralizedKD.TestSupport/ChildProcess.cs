using System.Diagnostics;
using System.Text;

namespace DecentralizedKD.TestSupport;

/// <summary>
/// A child process whose stdout and stderr are read while it runs: its pipes never fill up and block it, and a failing
/// test can show what it printed so far. Waits on it are bounded; disposing kills it (and its children) if it still runs.
/// </summary>
public sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Task _drained;

    private ChildProcess(string name, Process process)
    {
        Name = name;
        _process = process;
        _drained = Task.WhenAll(Pump(process.StandardOutput, _stdout), Pump(process.StandardError, _stderr));
    }

    /// <summary>The dkd apphost next to the test assembly (the Cli project's build output is copied there).</summary>
    public static string DkdPath => Path.Combine(AppContext.BaseDirectory, "dkd");

    /// <summary>
    /// Starts <paramref name="executable"/>; <paramref name="name"/> labels its output in failure messages, and
    /// <paramref name="environment"/> adds variables (e.g. secrets that must never appear on a command line).
    /// </summary>
    public static ChildProcess Start(string name, string executable, IEnumerable<string> args,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args) info.ArgumentList.Add(a);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) info.Environment[key] = value;
        return new ChildProcess(name, Process.Start(info) ?? throw new InvalidOperationException($"{name}: {executable} did not start"));
    }

    /// <summary>Starts the built dkd with <paramref name="args"/>.</summary>
    public static ChildProcess Dkd(string name, params string[] args) => Start(name, DkdPath, args);

    public string Name { get; }
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;

    /// <summary>Everything written to stdout so far (all of it once <see cref="WaitForExit"/> returned).</summary>
    public string Stdout { get { lock (_stdout) return _stdout.ToString(); } }

    /// <summary>Everything written to stderr so far (all of it once <see cref="WaitForExit"/> returned).</summary>
    public string Stderr { get { lock (_stderr) return _stderr.ToString(); } }

    /// <summary>
    /// Waits until the process has exited and both streams are read to their end, and returns its exit code. After
    /// <paramref name="seconds"/> (a hang guard) it kills the process tree and throws with the tails of its output.
    /// </summary>
    public async Task<int> WaitForExit(int seconds)
    {
        var exited = Task.WhenAll(_process.WaitForExitAsync(), _drained);
        if (await Task.WhenAny(exited, Task.Delay(TimeSpan.FromSeconds(seconds))).ConfigureAwait(false) != exited)
        {
            KillTree();
            // Give the kill a moment to land, so the tail ends with everything it printed.
            await Task.WhenAny(exited, Task.Delay(TimeSpan.FromSeconds(10))).ConfigureAwait(false);
            throw new TimeoutException($"{Name} did not exit within {seconds}s and was killed\n{Tail()}");
        }
        await exited.ConfigureAwait(false);
        return _process.ExitCode;
    }

    /// <summary>SIGKILL (to this process alone by default): a crash, with no shutdown hooks, no flushing, no leaving the cluster.</summary>
    public void Kill(bool entireProcessTree = false) => _process.Kill(entireProcessTree);

    /// <summary>The last <paramref name="lines"/> lines of stderr and stdout, labelled with the name and state.</summary>
    public string Tail(int lines = 40)
    {
        string state = _process.HasExited ? $"exit code {_process.ExitCode}" : "still running";
        return $"--- {Name} (pid {_process.Id}, {state}) stderr, last {lines} lines:\n{Last(Stderr, lines)}\n" +
               $"--- {Name} stdout, last {lines} lines:\n{Last(Stdout, lines)}";
    }

    public void Dispose()
    {
        KillTree();
        _process.Dispose();
    }

    private void KillTree()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited between the check and the kill.
        }
    }

    private static string Last(string text, int lines) => string.Join('\n', text.TrimEnd().Split('\n').TakeLast(lines));

    /// <remarks>
    /// Off the caller's synchronization context (ConfigureAwait(false)): xUnit runs async tests on a context with one
    /// thread per core, and a pump queued behind tests that compute there lets the child's pipe fill and block it.
    /// </remarks>
    private static async Task Pump(StreamReader reader, StringBuilder into)
    {
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            lock (into) into.Append(buffer, 0, read);
    }
}
