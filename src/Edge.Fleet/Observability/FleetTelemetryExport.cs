using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Edge.Fleet.Observability;

/// <summary>
/// OTLP export of the fleet tool's rollout spans and counters, for a command run that sets the standard variables:
/// on only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set and <c>OTEL_SDK_DISABLED</c> is not <c>true</c>; the
/// protocol, headers, interval and resource come from the other <c>OTEL_*</c> variables as the OpenTelemetry SDK
/// reads them (service name <c>edge-fleet</c> unless <c>OTEL_SERVICE_NAME</c>). Disposing exports what is pending,
/// so a rollout's span leaves before the command exits.
/// </summary>
internal sealed class FleetTelemetryExport : IDisposable
{
    public const string DefaultServiceName = "edge-fleet";

    private readonly TracerProvider _tracers;
    private readonly MeterProvider _meters;

    private FleetTelemetryExport(Uri endpoint, OtlpExportProtocol protocol, string? serviceName)
    {
        var resource = ResourceBuilder.CreateDefault().AddService(serviceName ?? DefaultServiceName);

        var http = endpoint.AbsoluteUri.TrimEnd('/');
        _tracers = global::OpenTelemetry.Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(resource)
            .AddSource(EdgeFleetActivities.SourceName)
            .AddOtlpExporter(o => Apply(o, protocol, protocol == OtlpExportProtocol.Grpc ? endpoint : new Uri(http + "/v1/traces")))
            .Build();
        _meters = global::OpenTelemetry.Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(resource)
            .AddMeter(EdgeFleetMetrics.MeterName)
            .AddOtlpExporter(o => Apply(o, protocol, protocol == OtlpExportProtocol.Grpc ? endpoint : new Uri(http + "/v1/metrics")))
            .Build();
    }

    /// <summary>Starts the export when <paramref name="environment"/> asks for it; null (nothing built) otherwise.</summary>
    /// <exception cref="FleetException"><c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is not an absolute http or https URI.</exception>
    public static FleetTelemetryExport? Start(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (environment("OTEL_EXPORTER_OTLP_ENDPOINT") is not { Length: > 0 } text
            || (bool.TryParse(environment("OTEL_SDK_DISABLED"), out var disabled) && disabled))
        {
            return null;
        }

        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var endpoint) || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
        {
            throw new FleetException($"OTEL_EXPORTER_OTLP_ENDPOINT must be an absolute http or https URI such as 'http://collector:4318'; got '{text}'.");
        }

        // The .NET exporter defaults to gRPC; the specification's default, and the agent's, is HTTP/protobuf.
        var protocol = environment("OTEL_EXPORTER_OTLP_PROTOCOL")?.Trim() switch
        {
            null or "" or "http/protobuf" => OtlpExportProtocol.HttpProtobuf,
            "grpc" => OtlpExportProtocol.Grpc,
            var other => throw new FleetException($"OTEL_EXPORTER_OTLP_PROTOCOL must be 'http/protobuf' or 'grpc'; got '{other}'."),
        };
        return new FleetTelemetryExport(endpoint, protocol, environment("OTEL_SERVICE_NAME") is { Length: > 0 } name ? name : null);
    }

    private static void Apply(OtlpExporterOptions options, OtlpExportProtocol protocol, Uri endpoint)
    {
        options.Protocol = protocol;
        options.Endpoint = endpoint;
    }

    public void Dispose()
    {
        _tracers.Dispose();
        _meters.Dispose();
    }
}
