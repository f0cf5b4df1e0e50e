using System.Runtime.InteropServices;

namespace DecentralizedKD.Core.Runtime;

/// <summary>
/// fsync on a directory (POSIX): makes a rename or a new entry in it durable. A checkpoint renames its manifest and
/// then deletes older rounds; without this, a power loss could persist the deletion but not the rename, leaving a
/// manifest that names a removed round. .NET has no API for it, so libc is called directly; best effort, and a no-op
/// off Linux (a kill -9 does not need it at all: the page cache survives the process).
/// </summary>
public static class DirectorySync
{
    private const int ReadOnly = 0;

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open(string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);

    public static void Flush(string directory)
    {
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            int fd = Open(directory, ReadOnly);
            if (fd < 0) return;
            Fsync(fd);
            Close(fd);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // No libc to call: the rename is still atomic, only its durability on power loss is not forced.
        }
    }
}
