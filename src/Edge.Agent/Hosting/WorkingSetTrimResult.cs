namespace Edge.Agent.Hosting;

/// <summary>
/// What <see cref="WorkingSetTrimmer"/> did: how many read-only file mappings it unmapped, their size and how much of
/// them was resident just before, how many files it evicted from the page cache, and how many calls failed (with
/// the last error number). A non-null <see cref="NotSupportedReason"/> means nothing was attempted (not Linux, or
/// the smaps file could not be read).
/// </summary>
internal sealed record WorkingSetTrimResult(
    int MappingsAdvised,
    long MappedBytes,
    long ResidentBytesBefore,
    int FilesEvicted,
    int Failures,
    int LastError,
    string? NotSupportedReason)
{
    public static WorkingSetTrimResult NotSupported(string reason) => new(0, 0, 0, 0, 0, 0, reason);
}
