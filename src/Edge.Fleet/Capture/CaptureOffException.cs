namespace Edge.Fleet.Capture;

/// <summary>A device has capture off and holds no samples: nothing to pull from it.</summary>
internal sealed class CaptureOffException : FleetException
{
    public CaptureOffException(string message)
        : base(message)
    {
    }
}
