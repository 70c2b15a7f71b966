namespace Edge.Agent.Ota.Transfer;

/// <summary>Free space as the operating system reports it for the file system of a path (statvfs on Linux).</summary>
internal sealed class DriveDiskSpace : IDiskSpace
{
    public long AvailableBytes(string path)
    {
        Directory.CreateDirectory(path);
        return new DriveInfo(Path.GetFullPath(path)).AvailableFreeSpace;
    }
}
