namespace Edge.Agent;

/// <summary>
/// The agent's own instruments (meter <see cref="MeterName"/>), exported with OpenTelemetry when
/// <see cref="OpenTelemetryOptions.Enabled"/>, or read by an app's own <c>AddMeter(EdgeAgentMetrics.MeterName)</c>.
/// Units follow the OpenTelemetry semantic conventions (seconds, bytes, <c>{record}</c>). Observable instruments
/// read counters the agent keeps anyway, so without a listener they cost nothing.
/// </summary>
public static class EdgeAgentMetrics
{
    /// <summary>The meter name, "Edge.Agent".</summary>
    public const string MeterName = "Edge.Agent";

    /// <summary>Observable up-down counter (long, <c>{record}</c>): telemetry records waiting in the outbox.</summary>
    public const string OutboxDepth = "edge.agent.outbox.depth";

    /// <summary>Observable up-down counter (long, <c>By</c>): payload bytes waiting in the outbox.</summary>
    public const string OutboxSize = "edge.agent.outbox.size";

    /// <summary>Observable counter (long, <c>{record}</c>): records dropped because the outbox was full, over the database's life.</summary>
    public const string OutboxDropped = "edge.agent.outbox.dropped";

    /// <summary>Observable counter (long, <c>{record}</c>): telemetry records the broker acknowledged since start.</summary>
    public const string RecordsPublished = "edge.agent.telemetry.published";

    /// <summary>Observable counter (long, <c>{connection}</c>): successful MQTT connections since start, the first included.</summary>
    public const string Connections = "edge.agent.mqtt.connections";

    /// <summary>Observable counter (long, <c>{connection}</c>): connections after the first, i.e. reconnects.</summary>
    public const string Reconnects = "edge.agent.mqtt.reconnects";

    /// <summary>Observable gauge (int): 1 while connected to the broker, else 0.</summary>
    public const string Connected = "edge.agent.mqtt.connected";

    /// <summary>Counter (long, <c>{job}</c>): OTA jobs that ended, tagged <see cref="OutcomeTag"/>.</summary>
    public const string OtaJobs = "edge.agent.ota.jobs";

    /// <summary>Histogram (double, <c>s</c>): wall time of an OTA job run that ended, tagged <see cref="OutcomeTag"/>.</summary>
    public const string OtaJobDuration = "edge.agent.ota.job.duration";

    /// <summary>Tag: how an OTA job ended (<c>succeeded</c>, <c>failed</c>, <c>rolled-back</c>), as in the protocol's job states.</summary>
    public const string OutcomeTag = "edge.ota.outcome";
}
