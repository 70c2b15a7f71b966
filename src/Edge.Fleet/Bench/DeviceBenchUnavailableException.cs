namespace Edge.Fleet.Bench;

/// <summary>
/// The fleet cannot be reached for a bench: the broker is unreachable or refused the connection, or the group (or the
/// store that defines it) cannot be read. The message says which, in one line.
/// </summary>
public sealed class DeviceBenchUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What could not be reached, and why.</param>
    /// <param name="innerException">The underlying error.</param>
    public DeviceBenchUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
