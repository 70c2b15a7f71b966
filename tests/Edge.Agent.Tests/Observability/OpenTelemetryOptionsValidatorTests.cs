using Edge.Agent.Observability;

namespace Edge.Agent.Tests.Observability;

public sealed class OpenTelemetryOptionsValidatorTests
{
    private static readonly OpenTelemetryEnvironment NoEnvironment = new(_ => null);

    [Fact]
    public void Validate_Disabled_AcceptsAnything()
    {
        var options = new EdgeAgentOptions();
        options.OpenTelemetry.Otlp.Protocol = "carrier-pigeon";
        options.OpenTelemetry.Prometheus.Port = -1;

        Assert.True(new OpenTelemetryOptionsValidator(NoEnvironment).Validate(null, options).Succeeded);
    }

    [Fact]
    public void Validate_EnabledWithDefaults_Succeeds()
    {
        var options = new EdgeAgentOptions();
        options.OpenTelemetry.Enabled = true;

        Assert.True(new OpenTelemetryOptionsValidator(NoEnvironment).Validate(null, options).Succeeded);
    }

    [Fact]
    public void Validate_EverySettingWrong_ListsEveryProblemWithItsValue()
    {
        var options = new EdgeAgentOptions();
        var telemetry = options.OpenTelemetry;
        telemetry.Enabled = true;
        telemetry.ServiceName = " ";
        telemetry.MetricExportInterval = TimeSpan.FromMilliseconds(10);
        telemetry.Otlp.Protocol = "http/json";
        telemetry.Otlp.Endpoint = "collector:4318";
        telemetry.Prometheus.Enabled = true;
        telemetry.Prometheus.Port = 70000;
        telemetry.Prometheus.Path = "metrics";

        var failures = new OpenTelemetryOptionsValidator(NoEnvironment).Validate(null, options).Failures!.ToList();

        Assert.Equal(6, failures.Count);
        Assert.Contains(failures, f => f.StartsWith("OpenTelemetry:ServiceName is empty", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("OpenTelemetry:MetricExportInterval must be between 00:00:00.1000000 and 1.00:00:00; got 00:00:00.0100000", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("OpenTelemetry:Otlp:Protocol must be 'http/protobuf' or 'grpc'; got 'http/json'", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("OpenTelemetry:Otlp:Endpoint must be an absolute http or https URI", StringComparison.Ordinal) && f.Contains("'collector:4318'", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("OpenTelemetry:Prometheus:Port must be between 1 and 65535; got 70000", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("OpenTelemetry:Prometheus:Path must start with '/'", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_BadOtelVariables_NamesEachVariable()
    {
        var variables = new Dictionary<string, string>
        {
            [OpenTelemetryEnvironment.Protocol] = "udp",
            [OpenTelemetryEnvironment.Endpoint] = "not a uri",
            [OpenTelemetryEnvironment.MetricExportInterval] = "1s",
            [OpenTelemetryEnvironment.SdkDisabled] = "yes",
        };
        var options = new EdgeAgentOptions();
        options.OpenTelemetry.Enabled = true;

        var failures = new OpenTelemetryOptionsValidator(new(n => variables.GetValueOrDefault(n))).Validate(null, options).Failures!.ToList();

        Assert.Equal(4, failures.Count);
        Assert.Contains(failures, f => f.StartsWith("OTEL_EXPORTER_OTLP_PROTOCOL must be", StringComparison.Ordinal) && f.Contains("'udp'", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("OTEL_EXPORTER_OTLP_ENDPOINT must be", StringComparison.Ordinal) && f.Contains("'not a uri'", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("OTEL_METRIC_EXPORT_INTERVAL must be whole milliseconds", StringComparison.Ordinal) && f.Contains("'1s'", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("OTEL_SDK_DISABLED must be true or false; got 'yes'", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_SettingsGiven_BadVariablesTheyOverrideAreIgnored()
    {
        var variables = new Dictionary<string, string> { [OpenTelemetryEnvironment.Protocol] = "udp", [OpenTelemetryEnvironment.Endpoint] = "not a uri" };
        var options = new EdgeAgentOptions();
        options.OpenTelemetry.Enabled = true;
        options.OpenTelemetry.Otlp.Protocol = "grpc";
        options.OpenTelemetry.Otlp.Endpoint = "http://collector:4317";

        Assert.True(new OpenTelemetryOptionsValidator(new(n => variables.GetValueOrDefault(n))).Validate(null, options).Succeeded);
    }

    [Fact]
    public void Validate_NoExporterEnabled_SaysSo()
    {
        var options = new EdgeAgentOptions();
        options.OpenTelemetry.Enabled = true;
        options.OpenTelemetry.Otlp.Enabled = false;

        var failure = Assert.Single(new OpenTelemetryOptionsValidator(NoEnvironment).Validate(null, options).Failures!);
        Assert.Contains("both OpenTelemetry:Otlp:Enabled and OpenTelemetry:Prometheus:Enabled are false", failure, StringComparison.Ordinal);
    }
}
