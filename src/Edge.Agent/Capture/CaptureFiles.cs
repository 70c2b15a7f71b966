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

    /// <summary>Writes <paramref name="contents"/> to <paramref name="path"/> atomically, mode 0600.</summary>
    public static async Task WriteAtomicAsync(string path, ReadOnlyMemory<byte> contents, CancellationToken cancellationToken)
    {
        var temporary = TemporaryFor(path);
        try
        {
            await using (var stream = OpenNew(temporary))
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

        DurableFiles.SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    /// <summary>A new file for writing, mode 0600 from the start (never readable by others, not even briefly).</summary>
    public static FileStream OpenNew(string path)
    {
        var options = new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, Options = FileOptions.Asynchronous };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FileMode;
        }

        return new FileStream(path, options);
    }

    /// <summary>The temporary name <paramref name="path"/> is written under; ends in <c>.tmp</c>, which start-up removes.</summary>
    public static string TemporaryFor(string path) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
}
