namespace Edge.Fleet.Observability;

/// <summary>
/// The spans <c>edge-fleet</c> starts (activity source <see cref="SourceName"/>). A host that runs the deployment
/// engine with OpenTelemetry adds them with <c>AddSource(EdgeFleetActivities.SourceName)</c>.
/// </summary>
public static class EdgeFleetActivities
{
    /// <summary>The activity source name, "Edge.Fleet".</summary>
    public const string SourceName = "Edge.Fleet";

    /// <summary>
    /// One run of a deployment's rollout engine, from start (or resumption) to completion, abort or cancellation.
    /// Tagged with <see cref="DeploymentIdTag"/>, the package (<c>edge.model.name</c>, <c>edge.model.version</c>),
    /// the device group and, at its end, <see cref="StateTag"/>; each wave change, abort and publish failure is an
    /// event. Its status is Error when the rollout aborted.
    /// </summary>
    public const string Rollout = "edge.fleet.rollout";

    /// <summary>Tag: the deployment id.</summary>
    public const string DeploymentIdTag = "edge.deployment.id";

    /// <summary>Tag: the deployment's state when the span ended (<c>completed</c>, <c>aborted</c>, <c>running</c> if cancelled).</summary>
    public const string StateTag = "edge.deployment.state";

    /// <summary>Tag: the device group the deployment targets.</summary>
    public const string GroupTag = "edge.deployment.group";
}
