namespace Edge.Fleet.Connection;

/// <summary>The broker could not be reached (or refused the connection) within the retry period.</summary>
internal sealed class BrokerUnreachableException : FleetException
{
    public BrokerUnreachableException(string message, Exception? innerException = null)
        : base(message, innerException ?? new InvalidOperationException(message))
    {
    }
}
