using System.Runtime.InteropServices;

namespace Edge.Agent.Hosting;

/// <summary>
/// Shrinks the resident set of read-only file mappings (the executable's code and read-only data, shared libraries)
/// to what the process touches after start-up.
/// </summary>
/// <remarks>
/// Why: start-up (host building, configuration binding, the container, validation, OTA recovery) runs code that never
/// runs again, and every page fault on a file mapping also maps the neighbours already in the page cache within a
/// 64 KiB window (fault-around) and reads ahead around it. All of that stays in RSS for the life of the daemon.
/// For each mapping that is not writable and has no anonymous (copy-on-write) pages, so no private modification
/// such as relocated RELRO data can be lost: <c>MADV_RANDOM</c> (later faults read only the page they need) then
/// <c>MADV_DONTNEED</c> (unmap; the pages stay in the page cache). Unmapping alone refills most of it, because
/// fault-around maps cached neighbours again; so for the files <c>evict</c> accepts (files only this process maps,
/// such as the executable) the now-unmapped pages are also dropped from the page cache with
/// <c>posix_fadvise(POSIX_FADV_DONTNEED)</c>, which never touches a page any process still maps or a dirty one.
/// Pages still needed fault back in, once, from disk. <c>MADV_PAGEOUT</c> is not used: for a file the process cannot
/// write (a root-owned binary run by systemd's DynamicUser) the kernel skips it without an error.
/// </remarks>
internal static partial class WorkingSetTrimmer
{
    private const int MadviseRandom = 1; // MADV_RANDOM, MADV_DONTNEED and POSIX_FADV_DONTNEED: same values on x64 and arm64
    private const int MadviseDontNeed = 4;
    private const int FadviseDontNeed = 4;

    /// <summary>
    /// Unmaps the read-only mappings in <paramref name="smapsPath"/> (this process's smaps) whose file
    /// <paramref name="unmap"/> accepts, and evicts from the page cache those files of them <paramref name="evict"/> accepts.
    /// </summary>
    public static WorkingSetTrimResult Trim(string smapsPath, Func<string, bool> unmap, Func<string, bool> evict)
    {
        ArgumentNullException.ThrowIfNull(unmap);
        ArgumentNullException.ThrowIfNull(evict);
        if (!OperatingSystem.IsLinux())
        {
            return WorkingSetTrimResult.NotSupported($"Trimming file mappings needs Linux's madvise; this is {RuntimeInformation.OSDescription}.");
        }

        List<SmapsMapping> mappings;
        try
        {
            mappings = SmapsMapping.ReadAll(smapsPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return WorkingSetTrimResult.NotSupported($"Could not read '{smapsPath}': {e.Message}");
        }

        int advised = 0, failures = 0, lastError = 0;
        long mapped = 0, resident = 0;
        var unmappedFiles = new HashSet<string>(StringComparer.Ordinal);
        foreach (var mapping in mappings)
        {
            if (mapping.Writable || mapping.AnonymousBytes != 0 || !mapping.Path.StartsWith('/') || !unmap(mapping.Path))
            {
                continue;
            }

            var length = (nuint)mapping.Length;
            if (Madvise((nint)mapping.Start, length, MadviseRandom) != 0 || Madvise((nint)mapping.Start, length, MadviseDontNeed) != 0)
            {
                failures++;
                lastError = Marshal.GetLastPInvokeError();
                continue;
            }

            advised++;
            mapped += (long)mapping.Length;
            resident += mapping.ResidentBytes;
            unmappedFiles.Add(mapping.Path);
        }

        var evicted = 0;
        foreach (var file in unmappedFiles.Where(evict))
        {
            var error = EvictFromPageCache(file);
            if (error == 0)
            {
                evicted++;
            }
            else
            {
                failures++;
                lastError = error;
            }
        }

        return new WorkingSetTrimResult(advised, mapped, resident, evicted, failures, lastError, NotSupportedReason: null);
    }

    /// <summary>Whether a path names a shared library (<c>libc.so.6</c>, <c>libe_sqlite3.so</c>).</summary>
    public static bool IsSharedLibrary(string path) =>
        path.EndsWith(".so", StringComparison.Ordinal) || path.Contains(".so.", StringComparison.Ordinal);

    /// <summary>Drops a file's cached pages that no process maps; returns 0 or an error number.</summary>
    private static int EvictFromPageCache(string path)
    {
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return Fadvise((int)handle.DangerousGetHandle(), 0, 0, FadviseDontNeed); // off_t is native-sized; returns the error number itself
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return e.HResult;
        }
    }

    [LibraryImport("libc", EntryPoint = "madvise", SetLastError = true)]
    private static partial int Madvise(nint address, nuint length, int advice);

    [LibraryImport("libc", EntryPoint = "posix_fadvise")]
    private static partial int Fadvise(int fd, nint offset, nint length, int advice);
}
