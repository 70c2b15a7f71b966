using System.Net;
using Edge.Agent.Hosting;
using Edge.Sdk.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Edge.Agent.Observability;

/// <summary>
/// Builds the OpenTelemetry meter and tracer providers at start when the settings turn export on, and disposes
/// them (exporting what is pending) at stop. With export off nothing is built: no provider, no listener, no
/// exporter thread, so the agent's memory stays where docs/agent.md measures it.
/// </summary>
internal sealed partial class OpenTelemetryExport : IHostedService, IDisposable
{
    private readonly OpenTelemetryExportPlan _plan;
    private readonly EdgeAgentOptions _options;
    private readonly ILogger<OpenTelemetryExport> _logger;
    private MeterProvider? _meters;
    private TracerProvider? _tracers;

    public OpenTelemetryExport(IOptions<EdgeAgentOptions> options, OpenTelemetryEnvironment environment, AgentInstruments instruments, ILogger<OpenTelemetryExport> logger)
    {
        // Resolving the instruments creates the agent's meter with or without export, for an app's own listeners.
        _ = instruments;
        _options = options.Value;
        _plan = OpenTelemetryExportPlan.Resolve(_options.OpenTelemetry, environment);
        _logger = logger;
    }

    /// <summary>True once the providers are built: export is on.</summary>
    public bool IsExporting => _meters is not null;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_plan.OffReason is not null)
        {
            LogOff(_logger, _plan.OffReason);
            return Task.CompletedTask;
        }

        var resource = ResourceBuilder.CreateDefault()
            .AddService(_plan.ServiceName, serviceVersion: typeof(OpenTelemetryExport).Assembly.GetName().Version?.ToString(), autoGenerateServiceInstanceId: false, serviceInstanceId: _options.DeviceId)
            .AddAttributes([new("edge.fleet", _options.FleetId)]);
        try
        {
            _meters = BuildMeters(resource);
            _tracers = _plan.Traces ? BuildTracers(resource) : null;
        }
        catch (InvalidOperationException e) when (e.InnerException is HttpListenerException listener)
        {
            // The Prometheus exporter wraps the listener's failure (a port in use, a port below 1024 without the right).
            Dispose();
            throw new AgentSettingsException(
                $"OpenTelemetry:Prometheus:Port {_plan.PrometheusPort} cannot be listened on ({listener.Message}); choose a free port or turn the Prometheus endpoint off.", e);
        }

        LogOn(_logger, _plan.Describe());
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        // Disposing flushes: the last metrics and the spans still batched are exported before the agent exits.
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _tracers?.Dispose();
        _tracers = null;
        _meters?.Dispose();
        _meters = null;
    }

    private MeterProvider BuildMeters(ResourceBuilder resource)
    {
        var builder = global::OpenTelemetry.Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(resource)
            .AddMeter(EdgeAgentMetrics.MeterName, EdgeMetrics.MeterName);
        if (_plan.Otlp)
        {
            builder.AddOtlpExporter((exporter, reader) =>
            {
                ApplyOtlp(exporter, "v1/metrics");
                if (_plan.MetricExportIntervalMilliseconds is { } interval)
                {
                    reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = interval;
                }
            });
        }

        if (_plan.Prometheus)
        {
            builder.AddPrometheusHttpListener(o =>
            {
                o.Host = "localhost";
                o.Port = _plan.PrometheusPort;
                o.ScrapeEndpointPath = _plan.PrometheusPath;
            });
        }

        return builder.Build();
    }

    private TracerProvider BuildTracers(ResourceBuilder resource)
    {
        var builder = global::OpenTelemetry.Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(resource)
            .AddSource(EdgeAgentActivities.SourceName);
        if (_plan.TraceInference)
        {
            builder.AddSource(EdgeActivities.SourceName);
        }

        return builder.AddOtlpExporter(exporter => ApplyOtlp(exporter, "v1/traces")).Build();
    }

    private void ApplyOtlp(OpenTelemetry.Exporter.OtlpExporterOptions exporter, string signalPath)
    {
        exporter.Protocol = _plan.Protocol;

        if (_plan.SignalEndpoint(signalPath) is { } endpoint)
        {
            exporter.Endpoint = endpoint;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "OpenTelemetry export is off: {Reason}")]
    private static partial void LogOff(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "OpenTelemetry export {Description}")]
    private static partial void LogOn(ILogger logger, string description);
}
