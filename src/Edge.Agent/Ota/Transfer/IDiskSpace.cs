namespace Edge.Agent.Ota.Transfer;

/// <summary>Free space on the disk holding a path. The platform seam for the disk-space check; tests substitute it.</summary>
internal interface IDiskSpace
{
    long AvailableBytes(string path);
}
