using System.Runtime.InteropServices;

namespace Edge.Agent.Ota.Slots;

/// <summary>
/// Crash-safe file operations: write-to-temporary, fsync, rename over the target, fsync the folder. A rename on one
/// file system is atomic, so a reader (or the agent after kill -9 or power loss) sees the old file or the new one,
/// never a mix; the folder fsync makes the rename itself durable.
/// </summary>
internal static partial class DurableFiles
{
    private const int ReadOnly = 0;
    private const int Directory = 0x10000; // O_DIRECTORY on Linux (x64 and arm64)

    /// <summary>Replaces <paramref name="path"/> atomically with <paramref name="contents"/>.</summary>
    public static async Task WriteAtomicAsync(string path, ReadOnlyMemory<byte> contents, CancellationToken cancellationToken)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temporary = Path.Combine(folder, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, useAsync: true))
            {
                await stream.WriteAsync(contents, cancellationToken);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }

        SyncDirectory(folder);
    }

    /// <summary>fsyncs every file under <paramref name="folder"/> and every folder from it down, so a staged slot is on disk before any pointer names it.</summary>
    public static void SyncTree(string folder)
    {
        foreach (var file in System.IO.Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            using var handle = File.OpenHandle(file, FileMode.Open, FileAccess.ReadWrite);
            RandomAccess.FlushToDisk(handle);
        }

        foreach (var sub in System.IO.Directory.EnumerateDirectories(folder, "*", SearchOption.AllDirectories))
        {
            SyncDirectory(sub);
        }

        SyncDirectory(folder);
        SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(folder))!);
    }

    /// <summary>fsyncs a folder's entries (names created, renamed or deleted in it). No-op off Linux and macOS.</summary>
    public static void SyncDirectory(string folder)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var fd = Open(folder, ReadOnly | (OperatingSystem.IsLinux() ? Directory : 0));
        if (fd < 0)
        {
            throw new IOException($"Could not open folder '{folder}' to fsync it (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"fsync of folder '{folder}' failed (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
