namespace Edge.Fleet;

/// <summary>
/// Base of edge-fleet's domain errors: an unknown group, a conflicting deployment, an unreachable broker. The CLI
/// reports each as one line with exit code 2 (bad input or environment), as documented in docs/fleet.md.
/// </summary>
internal class FleetException : Exception
{
    public FleetException(string message)
        : base(message)
    {
    }

    public FleetException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
