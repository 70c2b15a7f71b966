using System.Globalization;
using OpenTelemetry.Exporter;

namespace Edge.Agent.Observability;

/// <summary>
/// What the export will do, resolved once from validated settings and the environment: settings win over their
/// <c>OTEL_*</c> variable, and what neither gives is left to the OpenTelemetry SDK (null here).
/// </summary>
internal sealed record OpenTelemetryExportPlan
{
    public const string DefaultServiceName = "edge-agent";

    /// <summary>Why nothing is exported, or null when something is.</summary>
    public string? OffReason { get; init; }

    public string ServiceName { get; init; } = DefaultServiceName;

    public bool Otlp { get; init; }

    /// <summary>
    /// The OTLP protocol: the setting, else <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>, else HTTP/protobuf (the specification's
    /// default). Always set in code, because the .NET exporter's own default is gRPC.
    /// </summary>
    public OtlpExportProtocol Protocol { get; init; } = OtlpExportProtocol.HttpProtobuf;

    /// <summary>The collector's base address from settings; null leaves it to the environment or the SDK's default.</summary>
    public Uri? Endpoint { get; init; }

    /// <summary>Milliseconds between metric exports from settings; null leaves it to <c>OTEL_METRIC_EXPORT_INTERVAL</c> or 60 s.</summary>
    public int? MetricExportIntervalMilliseconds { get; init; }

    /// <summary>For the log: the protocol, base address and interval in effect, whichever source gave them.</summary>
    public string EffectiveOtlp { get; init; } = string.Empty;

    public bool Traces { get; init; }

    public bool TraceInference { get; init; }

    public bool Prometheus { get; init; }

    public int PrometheusPort { get; init; }

    public string PrometheusPath { get; init; } = "/metrics";

    public static OpenTelemetryExportPlan Resolve(OpenTelemetryOptions options, OpenTelemetryEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        if (!options.Enabled)
        {
            return new() { OffReason = "OpenTelemetry:Enabled is false" };
        }

        if (environment[OpenTelemetryEnvironment.SdkDisabled] is { } disabled && bool.TryParse(disabled, out var off) && off)
        {
            return new() { OffReason = $"{OpenTelemetryEnvironment.SdkDisabled} is true" };
        }

        var protocolName = (options.Otlp.Protocol ?? environment[OpenTelemetryEnvironment.Protocol] ?? OtlpExportOptions.HttpProtobuf).Trim().ToLowerInvariant();
        var endpointName = options.Otlp.Endpoint ?? environment[OpenTelemetryEnvironment.Endpoint]
            ?? (protocolName == OtlpExportOptions.Grpc ? "http://localhost:4317" : "http://localhost:4318");
        var intervalName = options.MetricExportInterval is { } given
            ? string.Create(CultureInfo.InvariantCulture, $"{given.TotalMilliseconds:0} ms")
            : environment[OpenTelemetryEnvironment.MetricExportInterval] is { } variable ? variable + " ms" : "60000 ms";
        return new()
        {
            EffectiveOtlp = $"OTLP {protocolName} to {endpointName}, metrics every {intervalName}",
            ServiceName = options.ServiceName ?? environment[OpenTelemetryEnvironment.ServiceName] ?? DefaultServiceName,
            Otlp = options.Otlp.Enabled,
            Protocol = ParseProtocol(protocolName) ?? OtlpExportProtocol.HttpProtobuf,
            Endpoint = options.Otlp.Endpoint is { } endpoint ? ParseEndpoint(endpoint) : null,
            MetricExportIntervalMilliseconds = options.MetricExportInterval is { } interval ? (int)interval.TotalMilliseconds : null,
            Traces = options.Otlp.Enabled && options.Otlp.Traces,
            TraceInference = options.TraceInference,
            Prometheus = options.Prometheus.Enabled,
            PrometheusPort = options.Prometheus.Port,
            PrometheusPath = options.Prometheus.Path,
        };
    }

    /// <summary>The URI one signal is posted to: OTLP/HTTP appends the signal's path to the base, gRPC uses the base.</summary>
    public Uri? SignalEndpoint(string signalPath)
    {
        if (Endpoint is null)
        {
            return null;
        }

        return Protocol == OtlpExportProtocol.Grpc ? Endpoint : new Uri(Endpoint.AbsoluteUri.TrimEnd('/') + "/" + signalPath);
    }

    /// <summary>One line for the log: where metrics and traces go.</summary>
    public string Describe()
    {
        if (OffReason is not null)
        {
            return "off (" + OffReason + ")";
        }

        var parts = new List<string>();
        if (Otlp)
        {
            parts.Add(EffectiveOtlp + (Traces ? ", traces" + (TraceInference ? " with inference spans" : string.Empty) : string.Empty));
        }

        if (Prometheus)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"Prometheus scrape endpoint http://localhost:{PrometheusPort}{PrometheusPath}"));
        }

        return "on as " + ServiceName + ": " + string.Join("; ", parts);
    }

    public static OtlpExportProtocol? ParseProtocol(string value) => value.Trim().ToLowerInvariant() switch
    {
        OtlpExportOptions.HttpProtobuf => OtlpExportProtocol.HttpProtobuf,
        OtlpExportOptions.Grpc => OtlpExportProtocol.Grpc,
        _ => null,
    };

    public static Uri? ParseEndpoint(string value) =>
        Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) ? uri : null;
}
