using Edge.Agent.Observability;
using Edge.Agent.Tests.Ota;
using Edge.Agent.Tests.Ota.Support;
using Edge.Agent.Tests.Support;
using Edge.Protocol.Ota;
using Microsoft.Extensions.DependencyInjection;

namespace Edge.Agent.Tests.Observability;

/// <summary>
/// The agent's OpenTelemetry export against a collector stand-in (<see cref="OtlpReceiver"/>): a real Mosquitto, a
/// real OTA job through the OTA test bed, real ONNX Runtime inference, OTLP/HTTP protobuf on loopback.
/// </summary>
[Collection(OtaSerialGroup.Name)]
public sealed class OpenTelemetryExportTests : IAsyncLifetime
{
    private OtaTestBed _bed = null!;
    private string _v1 = null!;

    public async Task InitializeAsync()
    {
        _bed = await OtaTestBed.StartAsync();
        _v1 = await _bed.Packages.BuildAsync("1.0.0", rounds: 4);
    }

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task Export_OtlpHttp_AgentMetricsOtaJobSpanAndInferenceSpanReachTheCollector()
    {
        await using var receiver = OtlpReceiver.Start();
        await using var agent = await OtaAgent.StartAsync(_bed.Broker.Host, _bed.Broker.Port, "dev-otel", _bed.Packages, _v1, _bed.DataDirectory, services: s =>
            s.Configure<EdgeAgentOptions>(o =>
            {
                o.OpenTelemetry.Enabled = true;
                o.OpenTelemetry.ServiceName = "edge-agent-test";
                o.OpenTelemetry.MetricExportInterval = TimeSpan.FromMilliseconds(200);
                o.OpenTelemetry.TraceInference = true;
                o.OpenTelemetry.Otlp.Endpoint = receiver.Endpoint; // no protocol: the default is HTTP/protobuf, not the .NET exporter's gRPC
            }));
        Assert.True(agent.Get<OpenTelemetryExport>().IsExporting);
        var v2 = await _bed.Packages.BuildAsync("2.0.0", rounds: 4, drift: 0);

        var job = await _bed.Publisher.DeployAsync("dev-otel", v2);
        var final = await _bed.Publisher.WaitTerminalAsync("dev-otel", job.JobId);
        Assert.True(final.State == OtaJobStates.Succeeded, OtaPublisher.Describe(final));
        _ = OtaAgent.Infer(agent.Get<ActiveModel>());

        await MqttTestClient.WaitUntilAsync(
            () => receiver.Points.Any(p => p.Name == EdgeAgentMetrics.OtaJobs) && receiver.Points.Any(p => p.Name == "edge.inference.duration"),
            TimeSpan.FromSeconds(20),
            () => $"the OTA job counter and the inference duration at the receiver; it has {string.Join(", ", receiver.Points.Select(p => p.Name).Distinct())}");
        await agent.StopAsync(); // flushes the batched spans

        var points = receiver.Points;
        Assert.All(points, p => Assert.Equal("dev-otel", p.Resource["service.instance.id"]));
        Assert.All(points, p => Assert.Equal("edge-agent-test", p.Resource["service.name"]));
        Assert.All(points, p => Assert.Equal("fleet1", p.Resource["edge.fleet"]));
        var depth = points.Last(p => p.Name == EdgeAgentMetrics.OutboxDepth);
        Assert.Equal("{record}", depth.Unit);
        Assert.Equal(EdgeAgentMetrics.MeterName, depth.Scope);
        Assert.Contains(points, p => p.Name == EdgeAgentMetrics.Connections && p.Value >= 1);
        Assert.Contains(points, p => p.Name == EdgeAgentMetrics.Connected && p.Value == 1);
        Assert.Contains(points, p => p.Name == EdgeAgentMetrics.OtaJobs && p.Value == 1 && p.Attributes[EdgeAgentMetrics.OutcomeTag] == OtaJobStates.Succeeded);
        var duration = points.Last(p => p.Name == "edge.inference.duration" && p.Attributes["edge.model.version"] == "2.0.0");
        Assert.Equal("s", duration.Unit);
        Assert.True(duration.Value >= 1, $"the 2.0.0 histogram counted {duration.Value} calls");

        var jobSpan = Assert.Single(receiver.Spans, s => s.Name == EdgeAgentActivities.OtaJob);
        Assert.Equal(job.JobId, jobSpan.Attributes[EdgeAgentActivities.JobIdTag]);
        Assert.Equal("2.0.0", jobSpan.Attributes["edge.model.version"]);
        Assert.Equal(OtaJobStates.Succeeded, jobSpan.Attributes[EdgeAgentMetrics.OutcomeTag]);
        Assert.Equal(1, jobSpan.StatusCode);
        Assert.Equal(EdgeAgentActivities.SourceName, jobSpan.Scope);
        Assert.Contains(receiver.Spans, s => s.Name == "edge.inference" && s.Scope == "Edge.Sdk" && s.Attributes["edge.model.version"] == "2.0.0");
    }

    [Fact]
    public async Task Export_Off_NoProviderIsBuiltAndNothingIsSent()
    {
        await using var receiver = OtlpReceiver.Start();
        await using var agent = await AgentHarness.StartAsync(_bed.Broker.Host, _bed.Broker.Port, "dev-otel-off", o =>
        {
            o.Telemetry.Interval = TimeSpan.FromMilliseconds(100);
            o.OpenTelemetry.MetricExportInterval = TimeSpan.FromMilliseconds(100);
            o.OpenTelemetry.Otlp.Endpoint = receiver.Endpoint; // everything but Enabled
        });

        await Task.Delay(TimeSpan.FromSeconds(1.5));

        Assert.False(agent.Get<OpenTelemetryExport>().IsExporting);
        Assert.Equal(0, receiver.Requests);
    }

    [Fact]
    public async Task Export_OtelSdkDisabled_WinsOverEnabled()
    {
        await using var receiver = OtlpReceiver.Start();
        var environment = new OpenTelemetryEnvironment(name => name == OpenTelemetryEnvironment.SdkDisabled ? "true" : null);
        await using var agent = await AgentHarness.StartAsync(
            _bed.Broker.Host,
            _bed.Broker.Port,
            "dev-otel-disabled",
            o =>
            {
                o.OpenTelemetry.Enabled = true;
                o.OpenTelemetry.MetricExportInterval = TimeSpan.FromMilliseconds(100);
                o.OpenTelemetry.Otlp.Endpoint = receiver.Endpoint;
            },
            s => s.AddSingleton(environment));

        await Task.Delay(TimeSpan.FromSeconds(1));

        Assert.False(agent.Get<OpenTelemetryExport>().IsExporting);
        Assert.Equal(0, receiver.Requests);
    }

    [Fact]
    public async Task Export_Prometheus_LoopbackScrapeEndpointServesAgentMetrics()
    {
        var port = Edge.TestUtilities.Mqtt.FreePort.Next();
        await using var agent = await AgentHarness.StartAsync(_bed.Broker.Host, _bed.Broker.Port, "dev-prom", o =>
        {
            o.OpenTelemetry.Enabled = true;
            o.OpenTelemetry.Otlp.Enabled = false;
            o.OpenTelemetry.Prometheus.Enabled = true;
            o.OpenTelemetry.Prometheus.Port = port;
        });
        using var http = new HttpClient();

        var text = await http.GetStringAsync(new Uri($"http://localhost:{port}/metrics"));

        Assert.Contains("edge_agent_outbox_depth", text, StringComparison.Ordinal);
        Assert.Contains("edge_agent_mqtt_connections", text, StringComparison.Ordinal);
        Assert.Contains("service_instance_id=\"dev-prom\"", text, StringComparison.Ordinal);
    }
}
