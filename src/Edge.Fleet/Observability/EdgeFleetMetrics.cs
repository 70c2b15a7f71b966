namespace Edge.Fleet.Observability;

/// <summary>The instruments of <c>edge-fleet</c>'s rollout engine (meter <see cref="MeterName"/>).</summary>
public static class EdgeFleetMetrics
{
    /// <summary>The meter name, "Edge.Fleet".</summary>
    public const string MeterName = "Edge.Fleet";

    /// <summary>Counter (long, <c>{job}</c>): OTA job documents published to devices, tagged <see cref="EdgeFleetActivities.DeploymentIdTag"/>.</summary>
    public const string JobsPublished = "edge.fleet.jobs.published";

    /// <summary>Counter (long, <c>{rollout}</c>): rollout engine runs that ended, tagged <see cref="EdgeFleetActivities.StateTag"/>.</summary>
    public const string Rollouts = "edge.fleet.rollouts";
}
