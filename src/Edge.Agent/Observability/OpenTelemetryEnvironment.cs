namespace Edge.Agent.Observability;

/// <summary>
/// Reads the standard <c>OTEL_*</c> environment variables. The OpenTelemetry SDK reads them itself for what the
/// agent's settings leave unset; the agent reads the few it checks at start or acts on (<see cref="SdkDisabled"/>).
/// </summary>
internal sealed class OpenTelemetryEnvironment
{
    public const string SdkDisabled = "OTEL_SDK_DISABLED";
    public const string Endpoint = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string Protocol = "OTEL_EXPORTER_OTLP_PROTOCOL";
    public const string ServiceName = "OTEL_SERVICE_NAME";
    public const string MetricExportInterval = "OTEL_METRIC_EXPORT_INTERVAL";

    private readonly Func<string, string?> _read;

    public OpenTelemetryEnvironment(Func<string, string?> read) => _read = read;

    /// <summary>The process's environment.</summary>
    public static OpenTelemetryEnvironment Process { get; } = new(Environment.GetEnvironmentVariable);

    /// <summary>The variable's value, or null when it is unset or empty (the specification treats empty as unset).</summary>
    public string? this[string name] => _read(name) is { Length: > 0 } value ? value.Trim() : null;
}
