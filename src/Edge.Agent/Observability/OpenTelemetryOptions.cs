namespace Edge.Agent;

/// <summary>
/// OpenTelemetry export of the agent's metrics and traces (docs/observability.md). Off by default: unless
/// <see cref="Enabled"/> is true (and <c>OTEL_SDK_DISABLED</c> is not <c>true</c>), no meter or tracer provider is
/// built and nothing listens. What is left unset here is taken from the standard <c>OTEL_*</c> environment variables
/// (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>, <c>OTEL_SERVICE_NAME</c>,
/// <c>OTEL_METRIC_EXPORT_INTERVAL</c>, <c>OTEL_RESOURCE_ATTRIBUTES</c>, ...); a value set here wins over its variable.
/// </summary>
public sealed class OpenTelemetryOptions
{
    /// <summary>Turns export on. Default false.</summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// The resource's <c>service.name</c>. Default: <c>OTEL_SERVICE_NAME</c>, else <c>edge-agent</c>. The device id
    /// is always <c>service.instance.id</c> and the fleet id <c>edge.fleet</c>.
    /// </summary>
    public string? ServiceName { get; set; }

    /// <summary>
    /// Time between metric exports (OTLP), 100 milliseconds to 1 day. Default: <c>OTEL_METRIC_EXPORT_INTERVAL</c>
    /// (milliseconds), else 60 seconds. The Prometheus endpoint is read when scraped and ignores it.
    /// </summary>
    public TimeSpan? MetricExportInterval { get; set; }

    /// <summary>
    /// Also trace every inference call (spans from <c>Edge.Sdk</c>, <c>edge.inference</c>). Default false: at 100
    /// calls per second that is 100 spans per second to queue and send. OTA job spans are always traced.
    /// </summary>
    public bool TraceInference { get; set; }

    /// <summary>OTLP export of metrics and traces.</summary>
    public OtlpExportOptions Otlp { get; set; } = new();

    /// <summary>The Prometheus scrape endpoint (metrics only).</summary>
    public PrometheusExportOptions Prometheus { get; set; } = new();
}
