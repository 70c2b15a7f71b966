namespace Edge.Agent;

/// <summary>
/// Settings of the Edge device agent. Bound from configuration (appsettings.json, <c>EDGE_AGENT_</c> environment
/// variables, command line) and validated at start; every invalid value is reported at once.
/// </summary>
public sealed class EdgeAgentOptions
{
    /// <summary>Fleet the device belongs to; one topic level, letters, digits, '-' and '_' only. Required.</summary>
    public string FleetId { get; set; } = string.Empty;

    /// <summary>Device identifier, unique in the fleet; one topic level, letters, digits, '-' and '_' only. Required.</summary>
    public string DeviceId { get; set; } = string.Empty;

    /// <summary>Broker connection.</summary>
    public MqttOptions Mqtt { get; set; } = new();

    /// <summary>Periodic telemetry.</summary>
    public TelemetryOptions Telemetry { get; set; } = new();

    /// <summary>Disk-backed store-and-forward queue.</summary>
    public OutboxOptions Outbox { get; set; } = new();

    /// <summary>Remote commands.</summary>
    public CommandOptions Commands { get; set; } = new();

    /// <summary>Facts about the device reported in the birth message.</summary>
    public DeviceOptions Device { get; set; } = new();

    /// <summary>Over-the-air model updates (docs/ota.md).</summary>
    public OtaOptions Ota { get; set; } = new();

    /// <summary>OpenTelemetry export of metrics and traces; off by default (docs/observability.md).</summary>
    public OpenTelemetryOptions OpenTelemetry { get; set; } = new();

    /// <summary>The optional local HTTP server: health probes and the inference endpoint (docs/local-http.md). Off by default.</summary>
    public LocalHttpOptions Http { get; set; } = new();

    /// <summary>Thresholds of the health checks behind <c>/healthz</c> and <c>/readyz</c>.</summary>
    public HealthOptions Health { get; set; } = new();

    /// <summary>Drift statistics of the served model against its package's reference (docs/agent.md, "Drift").</summary>
    public Drift.DriftOptions Drift { get; set; } = new();

    /// <summary>Field-data capture: a sampled, bounded, owner-only ring of model inputs and outputs. Off by default.</summary>
    public CaptureOptions Capture { get; set; } = new();
}
