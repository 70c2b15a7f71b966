using Edge.Agent.Hosting;

namespace Edge.Agent.Tests.Hosting;

public sealed class EdgeAgentOptionsValidatorTests
{
    [Fact]
    public void Validate_ManyErrors_ListsEveryOneAtOnce()
    {
        var options = new EdgeAgentOptions
        {
            FleetId = "",
            DeviceId = "dev/+",
            Mqtt = new MqttOptions
            {
                Port = 0,
                ProtocolVersion = "4.0",
                Password = "secret",
                ReconnectMinDelay = TimeSpan.FromSeconds(10),
                ReconnectMaxDelay = TimeSpan.FromSeconds(1),
                Tls = new MqttTlsOptions { Enabled = true, CertificateFile = "/nonexistent/client.crt" },
            },
            Telemetry = new TelemetryOptions { Interval = TimeSpan.FromMilliseconds(10), BatchSize = 0, Compression = "zstd" },
            Outbox = new OutboxOptions { MaxBytes = 10 },
        };

        var result = new EdgeAgentOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        var failures = result.Failures!.ToArray();
        string[] expected =
        [
            "FleetId must be", "DeviceId must be", "'dev/+'", "Mqtt:Port must be between 1 and 65535; got 0", "Mqtt:ProtocolVersion must be '5' or '3.1.1'; got '4.0'",
            "Mqtt:Password is set but Mqtt:Username is empty", "Mqtt:ReconnectMaxDelay", "Mqtt:Tls:CaFile is required",
            "Mqtt:Tls:CertificateFile '/nonexistent/client.crt' does not exist", "Mqtt:Tls:KeyFile is required", "Telemetry:Interval must be between",
            "Telemetry:BatchSize must be between 1 and 1000; got 0", "Telemetry:Compression must be 'none' or 'gzip'; got 'zstd'",
            "Outbox:MaxBytes must be between 4096 and 1073741824; got 10",
        ];
        foreach (var text in expected)
        {
            Assert.Contains(failures, f => f.Contains(text, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Validate_Defaults_WithIdentity_Succeeds()
    {
        var result = new EdgeAgentOptionsValidator().Validate(null, new EdgeAgentOptions { FleetId = "fleet-1", DeviceId = "device_7" });

        Assert.True(result.Succeeded, string.Join("; ", result.Failures ?? []));
    }
}
