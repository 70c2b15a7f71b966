namespace Edge.Fleet.Capture;

/// <summary>What one device's download did: the snapshot file, and how many chunks came now or were already held from an interrupted run.</summary>
internal sealed record CaptureFetch(string Device, string SnapshotId, string Path, int Samples, long Size, int Chunks, int Fetched, int AlreadyHeld);
