namespace Edge.Fleet.Capture;

/// <summary>A capture command or pull that cannot go on: an offline device, capture off, a spent data budget, mixed models. The CLI prints it as one line, exit 2.</summary>
internal sealed class CaptureException : FleetException
{
    public CaptureException(string message)
        : base(message)
    {
    }

    public CaptureException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
