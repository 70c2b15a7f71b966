namespace Edge.Fleet.Deployments;

/// <summary>A job could not be published this tick; the engine stops publishing until the next tick and retries.</summary>
internal sealed class JobPublishException : FleetException
{
    public JobPublishException(Exception innerException)
        : base($"Publishing a job failed: {innerException.Message}", innerException)
    {
    }
}
