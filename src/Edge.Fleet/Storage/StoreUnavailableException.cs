namespace Edge.Fleet.Storage;

/// <summary>The state store could not be opened: a bad connection string, an unreachable server, refused credentials.</summary>
internal sealed class StoreUnavailableException : FleetException
{
    public StoreUnavailableException(string message)
        : base(message)
    {
    }

    public StoreUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
