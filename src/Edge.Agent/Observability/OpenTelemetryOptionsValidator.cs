using System.Globalization;
using Microsoft.Extensions.Options;

namespace Edge.Agent.Observability;

/// <summary>
/// Checks the <c>OpenTelemetry</c> section, and the <c>OTEL_*</c> variables the export depends on, when export is
/// on; every problem is reported with the agent's other settings at start.
/// </summary>
internal sealed class OpenTelemetryOptionsValidator : IValidateOptions<EdgeAgentOptions>
{
    public static readonly TimeSpan MinimumInterval = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan MaximumInterval = TimeSpan.FromDays(1);

    private readonly OpenTelemetryEnvironment _environment;

    public OpenTelemetryOptionsValidator(OpenTelemetryEnvironment environment) => _environment = environment;

    public ValidateOptionsResult Validate(string? name, EdgeAgentOptions options)
    {
        var telemetry = options.OpenTelemetry;
        if (!telemetry.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        var errors = new List<string>();
        if (!telemetry.Otlp.Enabled && !telemetry.Prometheus.Enabled)
        {
            errors.Add("OpenTelemetry:Enabled is true but both OpenTelemetry:Otlp:Enabled and OpenTelemetry:Prometheus:Enabled are false; enable an exporter or turn export off.");
        }

        if (telemetry.ServiceName is { } service && string.IsNullOrWhiteSpace(service))
        {
            errors.Add("OpenTelemetry:ServiceName is empty; remove it to use OTEL_SERVICE_NAME or 'edge-agent'.");
        }

        if (telemetry.MetricExportInterval is { } interval && (interval < MinimumInterval || interval > MaximumInterval))
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"OpenTelemetry:MetricExportInterval must be between {MinimumInterval} and {MaximumInterval}; got {interval}."));
        }

        if (_environment[OpenTelemetryEnvironment.SdkDisabled] is { } disabled && !bool.TryParse(disabled, out _))
        {
            errors.Add($"{OpenTelemetryEnvironment.SdkDisabled} must be true or false; got '{disabled}'.");
        }

        if (telemetry.Otlp.Enabled)
        {
            CheckOtlp(errors, telemetry.Otlp, telemetry.MetricExportInterval is null);
        }

        if (telemetry.Prometheus.Enabled)
        {
            var prometheus = telemetry.Prometheus;
            if (prometheus.Port is < 1 or > 65535)
            {
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"OpenTelemetry:Prometheus:Port must be between 1 and 65535; got {prometheus.Port}."));
            }

            if (string.IsNullOrEmpty(prometheus.Path) || prometheus.Path[0] != '/' || prometheus.Path.Any(char.IsWhiteSpace))
            {
                errors.Add($"OpenTelemetry:Prometheus:Path must start with '/' and hold no spaces; got '{prometheus.Path}'.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private void CheckOtlp(List<string> errors, OtlpExportOptions otlp, bool intervalFromEnvironment)
    {
        CheckProtocol(errors, "OpenTelemetry:Otlp:Protocol", otlp.Protocol);
        if (otlp.Protocol is null)
        {
            CheckProtocol(errors, OpenTelemetryEnvironment.Protocol, _environment[OpenTelemetryEnvironment.Protocol]);
        }

        CheckEndpoint(errors, "OpenTelemetry:Otlp:Endpoint", otlp.Endpoint);
        if (otlp.Endpoint is null)
        {
            CheckEndpoint(errors, OpenTelemetryEnvironment.Endpoint, _environment[OpenTelemetryEnvironment.Endpoint]);
        }

        if (intervalFromEnvironment && _environment[OpenTelemetryEnvironment.MetricExportInterval] is { } text
            && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds)
                || milliseconds < MinimumInterval.TotalMilliseconds || milliseconds > MaximumInterval.TotalMilliseconds))
        {
            errors.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"{OpenTelemetryEnvironment.MetricExportInterval} must be whole milliseconds from {MinimumInterval.TotalMilliseconds} to {MaximumInterval.TotalMilliseconds}; got '{text}'."));
        }
    }

    private static void CheckProtocol(List<string> errors, string name, string? protocol)
    {
        if (protocol is not null && OpenTelemetryExportPlan.ParseProtocol(protocol) is null)
        {
            errors.Add($"{name} must be '{OtlpExportOptions.HttpProtobuf}' or '{OtlpExportOptions.Grpc}'; got '{protocol}'.");
        }
    }

    private static void CheckEndpoint(List<string> errors, string name, string? endpoint)
    {
        if (endpoint is not null && OpenTelemetryExportPlan.ParseEndpoint(endpoint) is null)
        {
            errors.Add($"{name} must be an absolute http or https URI such as 'http://collector:4318'; got '{endpoint}'.");
        }
    }
}
