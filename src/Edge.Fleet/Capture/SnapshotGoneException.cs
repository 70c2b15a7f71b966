namespace Edge.Fleet.Capture;

/// <summary>The device no longer holds the snapshot a resumed pull asks for; the pull starts that device over.</summary>
internal sealed class SnapshotGoneException : FleetException
{
    public SnapshotGoneException(string device, string snapshotId)
        : base($"device {device} no longer holds snapshot {snapshotId}")
    {
    }
}
