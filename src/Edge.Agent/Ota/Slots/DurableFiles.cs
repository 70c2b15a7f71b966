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

    /// <summary>
    /// Replaces <paramref name="path"/> atomically with <paramref name="contents"/>. With <paramref name="createMode"/>
    /// the new file has that mode from its creation (off Windows), so it is never readable by others, not even briefly.
    /// </summary>
    public static async Task WriteAtomicAsync(string path, ReadOnlyMemory<byte> contents, CancellationToken cancellationToken, UnixFileMode? createMode = null)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temporary = TemporaryFor(path);
        try
        {
            await using (var stream = OpenNew(temporary, createMode))
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

    /// <summary>The temporary name <paramref name="path"/> is written under before the rename: hidden, ending in <c>.tmp</c>.</summary>
    public static string TemporaryFor(string path) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");

    /// <summary>A new file for asynchronous writing, failing if it exists; with <paramref name="createMode"/> it has that mode from its creation (off Windows).</summary>
    public static FileStream OpenNew(string path, UnixFileMode? createMode = null)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, Options = FileOptions.Asynchronous };
        if (createMode is { } mode && !OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = mode;
        }

        return new FileStream(path, options);
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
