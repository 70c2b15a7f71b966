using Edge.Agent.Ota.Slots;

namespace Edge.Agent.Capture;

/// <summary>Files of the capture folder: owner-only folders (0700) and files (0600), written crash-safely (temporary file, fsync, rename).</summary>
internal static class CaptureFiles
{
    public const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates <paramref name="path"/> (and its parents) with mode 0700, and tightens it to 0700 if it existed with more.</summary>
    public static void EnsureFolder(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        Directory.CreateDirectory(path, FolderMode);
        File.SetUnixFileMode(path, FolderMode);
    }

    /// <summary>Writes <paramref name="contents"/> to <paramref name="path"/> atomically (<see cref="DurableFiles"/>), mode 0600.</summary>
    public static Task WriteAtomicAsync(string path, ReadOnlyMemory<byte> contents, CancellationToken cancellationToken) =>
        DurableFiles.WriteAtomicAsync(path, contents, cancellationToken, FileMode);

    /// <summary>A new file for writing, mode 0600 from the start (never readable by others, not even briefly).</summary>
    public static FileStream OpenNew(string path) => DurableFiles.OpenNew(path, FileMode);
}
