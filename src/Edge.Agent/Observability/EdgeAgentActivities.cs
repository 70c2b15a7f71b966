namespace Edge.Agent;

/// <summary>
/// The spans the agent starts (activity source <see cref="SourceName"/>), exported with OpenTelemetry when
/// <see cref="OpenTelemetryOptions.Enabled"/>, or read by an app's own <c>AddSource(EdgeAgentActivities.SourceName)</c>.
/// </summary>
public static class EdgeAgentActivities
{
    /// <summary>The activity source name, "Edge.Agent".</summary>
    public const string SourceName = "Edge.Agent";

    /// <summary>
    /// One run of an OTA job, from intake (or resumption after a restart) to its outcome. Tagged with
    /// <see cref="JobIdTag"/>, the package's model name and version (<c>edge.model.name</c>, <c>edge.model.version</c>)
    /// and, when it ended, <see cref="EdgeAgentMetrics.OutcomeTag"/>; its status is Error unless it succeeded.
    /// </summary>
    public const string OtaJob = "edge.ota.job";

    /// <summary>Tag: the OTA job id.</summary>
    public const string JobIdTag = "edge.ota.job.id";
}
