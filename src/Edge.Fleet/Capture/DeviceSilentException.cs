namespace Edge.Fleet.Capture;

/// <summary>A device did not answer a capture command in time: offline, or not a device of the fleet.</summary>
internal sealed class DeviceSilentException : FleetException
{
    public DeviceSilentException(string message)
        : base(message)
    {
    }

    public DeviceSilentException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
