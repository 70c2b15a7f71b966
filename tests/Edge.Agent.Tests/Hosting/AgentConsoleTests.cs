using System.Text.Json;
using Edge.Agent.Tests.Support;

namespace Edge.Agent.Tests.Hosting;

/// <summary>
/// The standalone agent's console output and its OpenTelemetry settings as a user meets them: a separate process
/// (<c>dotnet edge-agent.dll</c>) against a real Mosquitto, configured by command line and environment variables.
/// </summary>
public sealed class AgentConsoleTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("edge-agent-console-").FullName;

    [Fact]
    public async Task Console_FormatterNameJson_EveryLineIsAJsonLogRecord()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        using var agent = AgentProcess.Start([.. Arguments(broker, "dev-json"), "--Logging:Console:FormatterName=json"]);
        await MqttTestClient.WaitUntilAsync(() => agent.Output.Contains("Connected to MQTT broker", StringComparison.Ordinal), TimeSpan.FromSeconds(30), () => $"the connect line; output:\n{agent.Output}");
        agent.Kill();

        var lines = agent.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.NotEmpty(lines);
        foreach (var line in lines)
        {
            using var record = JsonDocument.Parse(line);
            Assert.True(record.RootElement.TryGetProperty("LogLevel", out _), line);
            Assert.EndsWith("Z", record.RootElement.GetProperty("Timestamp").GetString(), StringComparison.Ordinal);
        }

        Assert.Contains(lines, l => l.Contains("\"Message\":\"Connected to MQTT broker 127.0.0.1:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Console_NoFormatterConfigured_SimpleLinesWithUtcTimestamps()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        using var agent = AgentProcess.Start(Arguments(broker, "dev-simple"));
        await MqttTestClient.WaitUntilAsync(() => agent.Output.Contains("Connected to MQTT broker", StringComparison.Ordinal), TimeSpan.FromSeconds(30), () => $"the connect line; output:\n{agent.Output}");
        agent.Kill();

        var connected = agent.Output.Split('\n').Single(l => l.Contains("Connected to MQTT broker", StringComparison.Ordinal));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z info: Edge\.Agent\.Mqtt\.MqttConnection\[\d+\] Connected to MQTT broker 127\.0\.0\.1:\d+", connected);
    }

    [Fact]
    public async Task Console_FormatterNameSystemd_LinesCarrySyslogPriorities()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        using var agent = AgentProcess.Start([.. Arguments(broker, "dev-systemd"), "--Logging:Console:FormatterName=systemd"]);
        await MqttTestClient.WaitUntilAsync(() => agent.Output.Contains("Connected to MQTT broker", StringComparison.Ordinal), TimeSpan.FromSeconds(30), () => $"the connect line; output:\n{agent.Output}");
        agent.Kill();

        var lines = agent.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.All(lines, line => Assert.Matches(@"^<[0-7]>Edge\.", line));
        Assert.Contains(lines, l => l.StartsWith("<6>Edge.Agent.Mqtt.MqttConnection[", StringComparison.Ordinal) && l.Contains("Connected to MQTT broker", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Console_BrokerStopsAndReturns_NoLineHoldsNull()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        using var agent = AgentProcess.Start(Arguments(broker, "dev-null"));
        await MqttTestClient.WaitUntilAsync(() => agent.Output.Contains("Connected to MQTT broker", StringComparison.Ordinal), TimeSpan.FromSeconds(30), () => $"the connect line; output:\n{agent.Output}");

        await broker.TerminateAsync();
        await MqttTestClient.WaitUntilAsync(
            () => agent.Output.Contains("Disconnected from MQTT broker", StringComparison.Ordinal) && agent.Output.Contains("Reconnect attempt 2", StringComparison.Ordinal),
            TimeSpan.FromSeconds(30),
            () => $"the disconnect and two reconnect attempts; output:\n{agent.Output}");
        using var restart = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await broker.StartAgainAsync(restart.Token);
        await MqttTestClient.WaitUntilAsync(
            () => agent.Output.Split("Connected to MQTT broker").Length > 2, TimeSpan.FromSeconds(30), () => $"a second connect; output:\n{agent.Output}");
        agent.Kill();

        Assert.DoesNotContain("(null)", agent.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenTelemetry_OtelVariables_AgentMetricsReachTheirEndpointUnderTheirServiceName()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var receiver = OtlpReceiver.Start();
        var environment = new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Endpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_SERVICE_NAME"] = "pump-station",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "200",
            ["OTEL_RESOURCE_ATTRIBUTES"] = "deployment.environment.name=test",
        };
        using var agent = AgentProcess.Start([.. Arguments(broker, "dev-env"), "--OpenTelemetry:Enabled=true"], environment);

        await MqttTestClient.WaitUntilAsync(
            () => receiver.Points.Any(p => p.Name == EdgeAgentMetrics.Connected && p.Value == 1), TimeSpan.FromSeconds(30), () => $"the connected gauge at 1; output:\n{agent.Output}");
        agent.Kill();

        var point = receiver.Points.First(p => p.Name == EdgeAgentMetrics.OutboxDepth);
        Assert.Equal("pump-station", point.Resource["service.name"]);
        Assert.Equal("dev-env", point.Resource["service.instance.id"]);
        Assert.Equal("test", point.Resource["deployment.environment.name"]);
        Assert.Contains("OpenTelemetry export on as pump-station: OTLP http/protobuf to " + receiver.Endpoint + ", metrics every 200 ms, traces", agent.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenTelemetry_BadSettingsAndVariable_ExitsWithCode2ListingEach()
    {
        using var agent = AgentProcess.Start(
            ["--FleetId=f", "--DeviceId=d", $"--Outbox:Path={_directory}/o.db", "--OpenTelemetry:Enabled=true", "--OpenTelemetry:Prometheus:Enabled=true", "--OpenTelemetry:Prometheus:Port=0", "--OpenTelemetry:Otlp:Endpoint=collector"],
            new Dictionary<string, string> { ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "json" });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await agent.WaitForExitAsync(timeout.Token);

        Assert.Equal(2, agent.ExitCode);
        var line = Assert.Single(agent.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("edge-agent: invalid configuration: ", line, StringComparison.Ordinal);
        Assert.Contains("OpenTelemetry:Prometheus:Port must be between 1 and 65535; got 0", line, StringComparison.Ordinal);
        Assert.Contains("OpenTelemetry:Otlp:Endpoint must be an absolute http or https URI such as 'http://collector:4318'; got 'collector'", line, StringComparison.Ordinal);
        Assert.Contains("OTEL_EXPORTER_OTLP_PROTOCOL must be 'http/protobuf' or 'grpc'; got 'json'", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenTelemetry_PrometheusPortTaken_ExitsWithCode2NamingThePort()
    {
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;
        using var agent = AgentProcess.Start(
            ["--FleetId=f", "--DeviceId=d", "--Mqtt:Port=1", $"--Outbox:Path={_directory}/p.db", "--OpenTelemetry:Enabled=true", "--OpenTelemetry:Otlp:Enabled=false",
                "--OpenTelemetry:Prometheus:Enabled=true", $"--OpenTelemetry:Prometheus:Port={port}"]);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await agent.WaitForExitAsync(timeout.Token);

        Assert.Equal(2, agent.ExitCode);
        Assert.Contains($"edge-agent: OpenTelemetry:Prometheus:Port {port} cannot be listened on (", agent.Output, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private string[] Arguments(MosquittoBroker broker, string device) =>
    [
        "--FleetId=fleet1", $"--DeviceId={device}", $"--Mqtt:Host={broker.Host}", $"--Mqtt:Port={broker.Port}",
        "--Mqtt:ReconnectMinDelay=00:00:00.05", "--Mqtt:ReconnectMaxDelay=00:00:00.2", "--Mqtt:HealthCheckInterval=00:00:00.2",
        $"--Outbox:Path={Path.Combine(_directory, device + ".db")}",
    ];
}
