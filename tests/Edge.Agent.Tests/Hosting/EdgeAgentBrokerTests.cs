using System.Diagnostics.Metrics;
using System.Text;
using System.Text.Json;
using Edge.Agent.Storage;
using MQTTnet;
using MQTTnet.Formatter;

namespace Edge.Agent.Tests.Hosting;

/// <summary>
/// The agent against a real broker. Runs once per broker kind: Mosquitto (a child process) and MQTTnet's embedded
/// broker, through the two derived classes.
/// </summary>
public abstract class EdgeAgentBrokerTests : IAsyncLifetime
{
    protected static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    protected ITestBroker Broker { get; private set; } = null!;

    public async Task InitializeAsync() => Broker = await StartBrokerAsync();

    public async Task DisposeAsync() => await Broker.DisposeAsync();

    protected abstract Task<ITestBroker> StartBrokerAsync();

    [Fact]
    public async Task Start_Connects_PublishesRetainedOnlineStatusWithDeviceFacts()
    {
        await using var agent = await AgentHarness.StartAsync(Broker.Host, Broker.Port, "dev-status", o =>
        {
            o.Device.SdkVersion = "9.9.9";
            o.Device.Models.Add(new ActiveModelOptions { Name = "squeezenet", Version = "1.2" });
        });
        await WaitConnectedAsync(agent);

        // A late subscriber still gets the status: it is retained.
        await using var observer = await MqttTestClient.ConnectAsync(Broker.Host, Broker.Port, "observer-status");
        await observer.SubscribeAsync("edge/fleet1/dev-status/status");
        var status = MqttTestClient.Json(await observer.WaitForAsync(m => m.Retain, Timeout, "retained status"));

        Assert.Equal("edge.status/1", status.GetProperty("schema").GetString());
        Assert.Equal("online", status.GetProperty("state").GetString());
        var facts = status.GetProperty("facts");
        Assert.Equal("9.9.9", facts.GetProperty("sdkVersion").GetString());
        Assert.False(string.IsNullOrEmpty(facts.GetProperty("board").GetString()));
        Assert.False(string.IsNullOrEmpty(facts.GetProperty("os").GetString()));
        Assert.Equal("squeezenet", facts.GetProperty("models")[0].GetProperty("name").GetString());
        Assert.Equal("1.2", facts.GetProperty("models")[0].GetProperty("version").GetString());

        await agent.StopAsync();
        await observer.WaitForAsync(m => MqttTestClient.Json(m).GetProperty("state").GetString() == "offline", Timeout, "offline status");
        await using var lateObserver = await MqttTestClient.ConnectAsync(Broker.Host, Broker.Port, "late-observer-status");
        await lateObserver.SubscribeAsync("edge/fleet1/dev-status/status");
        var offline = MqttTestClient.Json(await lateObserver.WaitForAsync(m => m.Retain, Timeout, "retained offline status"));
        Assert.Equal("offline", offline.GetProperty("state").GetString());
        Assert.Equal("shutdown", offline.GetProperty("reason").GetString());
    }

    [Theory]
    [InlineData(1, "none")]
    [InlineData(50, "gzip")]
    public async Task Delivery_Backlog_ArrivesInOrderWithEveryIdOnce(int batchSize, string compression)
    {
        const int Count = 3000;
        await using var subscriber = await MqttTestClient.ConnectAsync(Broker.Host, Broker.Port, $"sub-order-{batchSize}");
        var device = $"dev-order-{batchSize}";
        await subscriber.SubscribeAsync($"edge/fleet1/{device}/telemetry");
        await using var agent = await AgentHarness.StartAsync(Broker.Host, Broker.Port, device, o =>
        {
            o.Telemetry.BatchSize = batchSize;
            o.Telemetry.Compression = compression;
        });
        var outbox = agent.Get<SqliteOutbox>();
        for (var i = 0; i < Count; i += 500)
        {
            await outbox.EnqueueAsync(Enumerable.Range(i, 500).Select(Payload).ToArray(), CancellationToken.None);
        }

        await MqttTestClient.WaitUntilAsync(() => subscriber.Received.Sum(m => TelemetryMessages.Sequences(m).Count()) >= Count, Timeout,
            () => $"received {subscriber.Received.Count} messages");
        var sequences = subscriber.Received.SelectMany(TelemetryMessages.Sequences).ToArray();
        Assert.Equal(Enumerable.Range(1, Count).Select(i => (long)i), sequences);
        var first = TelemetryMessages.Records(subscriber.Received.First()).First();
        Assert.Equal(0, first.GetProperty("data").GetProperty("n").GetInt32());
        Assert.Equal((Count + batchSize - 1) / batchSize, subscriber.Received.Count);
    }

    [Fact]
    public async Task Commands_MalformedUnknownOversized_GetErrorResponses_AndPingStillWorks()
    {
        await using var agent = await AgentHarness.StartAsync(Broker.Host, Broker.Port, "dev-cmd", o => o.Commands.MaxPayloadBytes = 1024);
        await WaitConnectedAsync(agent);
        await using var operatorClient = await MqttTestClient.ConnectAsync(Broker.Host, Broker.Port, "operator-cmd");
        const string Responses = "edge/fleet1/dev-cmd/cmd/response";
        await operatorClient.SubscribeAsync(Responses);

        async Task<JsonElement> RequestAsync(string command, string payload, string correlation)
        {
            await operatorClient.PublishAsync("edge/fleet1/dev-cmd/cmd/" + command, payload,
                b => b.WithResponseTopic(Responses).WithCorrelationData(Encoding.UTF8.GetBytes(correlation)));
            var response = await operatorClient.WaitForAsync(
                m => m.CorrelationData is not null && Encoding.UTF8.GetString(m.CorrelationData) == correlation, Timeout, $"response {correlation}");
            return MqttTestClient.Json(response);
        }

        var malformed = await RequestAsync("ping", "{not json", "c1");
        Assert.False(malformed.GetProperty("ok").GetBoolean());
        Assert.Equal("malformed-payload", malformed.GetProperty("error").GetProperty("code").GetString());

        var unknown = await RequestAsync("self-destruct", "{}", "c2");
        Assert.Equal("unknown-command", unknown.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("self-destruct", unknown.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);

        var oversized = await RequestAsync("ping", "{\"args\":{\"pad\":\"" + new string('x', 2000) + "\"}}", "c3");
        Assert.Equal("payload-too-large", oversized.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("1024", oversized.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);

        var invalid = await RequestAsync("set-telemetry-interval", "{\"args\":{\"intervalMs\":\"fast\"}}", "c4");
        Assert.Equal("invalid-arguments", invalid.GetProperty("error").GetProperty("code").GetString());

        var notAnObject = await RequestAsync("ping", "[1,2]", "c5");
        Assert.Equal("malformed-payload", notAnObject.GetProperty("error").GetProperty("code").GetString());

        var ping = await RequestAsync("ping", "{}", "c6");
        Assert.True(ping.GetProperty("ok").GetBoolean());
        Assert.True(ping.GetProperty("result").GetProperty("pong").GetBoolean());
    }

    [Fact]
    public async Task Commands_Mqtt311_UseCorrelationIdAndReplyToInPayload()
    {
        await using var agent = await AgentHarness.StartAsync(Broker.Host, Broker.Port, "dev-v311", o => o.Mqtt.ProtocolVersion = "3.1.1");
        await WaitConnectedAsync(agent);
        await using var operatorClient = await MqttTestClient.ConnectAsync(Broker.Host, Broker.Port, "operator-v311", MqttProtocolVersion.V311);
        const string ReplyTo = "edge/fleet1/dev-v311/cmd/response/operator-v311";
        await operatorClient.SubscribeAsync(ReplyTo);

        await operatorClient.PublishAsync("edge/fleet1/dev-v311/cmd/get-config", $"{{\"correlationId\":\"abc\",\"replyTo\":\"{ReplyTo}\"}}");
        var response = MqttTestClient.Json(await operatorClient.WaitForAsync(m => m.Topic == ReplyTo, Timeout, "get-config response"));

        Assert.Equal("abc", response.GetProperty("correlationId").GetString());
        Assert.True(response.GetProperty("ok").GetBoolean());
        Assert.Equal("dev-v311", response.GetProperty("result").GetProperty("deviceId").GetString());
        Assert.Equal("3.1.1", response.GetProperty("result").GetProperty("mqtt").GetProperty("protocolVersion").GetString());
    }

    [Fact]
    public async Task SetTelemetryInterval_ByCommand_SamplesSystemAndInferenceFigures()
    {
        var model = "model-" + Guid.NewGuid().ToString("N")[..8];
        await using var subscriber = await MqttTestClient.ConnectAsync(Broker.Host, Broker.Port, "sub-interval");
        await subscriber.SubscribeAsync("edge/fleet1/dev-interval/#");
        await using var agent = await AgentHarness.StartAsync(Broker.Host, Broker.Port, "dev-interval", o => o.Telemetry.BatchSize = 1);
        await WaitConnectedAsync(agent);

        using var meter = new Meter("Edge.Sdk");
        var duration = meter.CreateHistogram<double>("edge.inference.duration", "ms");
        var calls = meter.CreateCounter<long>("edge.inference.calls");
        KeyValuePair<string, object?>[] tags = [new("edge.model.name", model), new("edge.model.version", "3"), new("edge.provider", "cpu")];
        for (var i = 1; i <= 100; i++)
        {
            duration.Record(i, tags);
            calls.Add(1, tags);
        }

        await subscriber.PublishAsync("edge/fleet1/dev-interval/cmd/set-telemetry-interval", "{\"args\":{\"intervalMs\":200}}",
            b => b.WithResponseTopic("edge/fleet1/dev-interval/cmd/response"));
        var response = MqttTestClient.Json(await subscriber.WaitForAsync(m => m.Topic.EndsWith("/cmd/response", StringComparison.Ordinal), Timeout, "response"));
        Assert.Equal(200, response.GetProperty("result").GetProperty("intervalMs").GetInt64());
        Assert.Equal(3_600_000, response.GetProperty("result").GetProperty("previousIntervalMs").GetInt64());

        await MqttTestClient.WaitUntilAsync(() => subscriber.Received.Count(m => m.Topic.EndsWith("/telemetry", StringComparison.Ordinal)) >= 3, Timeout,
            () => "three telemetry samples at the new interval");
        var samples = subscriber.Received.Where(m => m.Topic.EndsWith("/telemetry", StringComparison.Ordinal))
            .SelectMany(TelemetryMessages.Records).Select(r => r.GetProperty("data")).ToArray();
        var withModel = samples.Select(s => s.GetProperty("inference").EnumerateArray().FirstOrDefault(f => f.GetProperty("model").GetString() == model))
            .First(f => f.ValueKind == JsonValueKind.Object);
        Assert.Equal(100, withModel.GetProperty("calls").GetInt64());
        Assert.Equal(50, withModel.GetProperty("p50Ms").GetDouble());
        Assert.Equal(95, withModel.GetProperty("p95Ms").GetDouble());
        Assert.Equal(99, withModel.GetProperty("p99Ms").GetDouble());
        Assert.True(samples[^1].GetProperty("system").GetProperty("memoryTotalBytes").GetInt64() > 0);
        Assert.True(samples[^1].GetProperty("intervalMs").GetInt64() < 2000);
    }

    [Fact]
    public async Task CollectDiagnostics_ReturnsRecentLogsAndOutboxState()
    {
        await using var agent = await AgentHarness.StartAsync(Broker.Host, Broker.Port, "dev-diag");
        await WaitConnectedAsync(agent);
        await using var operatorClient = await MqttTestClient.ConnectAsync(Broker.Host, Broker.Port, "operator-diag");
        await operatorClient.SubscribeAsync("edge/fleet1/dev-diag/cmd/response");

        await operatorClient.PublishAsync("edge/fleet1/dev-diag/cmd/restart-inference", "{\"args\":{\"model\":\"yolox\"}}");
        await operatorClient.WaitForAsync(m => MqttTestClient.Json(m).GetProperty("command").GetString() == "restart-inference", Timeout, "restart response");
        await operatorClient.PublishAsync("edge/fleet1/dev-diag/cmd/collect-diagnostics", "{\"args\":{\"maxLogRecords\":50}}");
        var response = MqttTestClient.Json(await operatorClient.WaitForAsync(
            m => MqttTestClient.Json(m).GetProperty("command").GetString() == "collect-diagnostics", Timeout, "diagnostics response"));

        var result = response.GetProperty("result");
        var messages = result.GetProperty("logs").EnumerateArray().Select(l => l.GetProperty("message").GetString()).ToArray();
        Assert.Contains(messages, m => m!.Contains("Connected to MQTT broker", StringComparison.Ordinal));
        Assert.Contains(messages, m => m!.Contains("restart-inference requested for yolox", StringComparison.Ordinal));
        Assert.True(result.GetProperty("connection").GetProperty("connected").GetBoolean());
        Assert.Equal(0, result.GetProperty("outbox").GetProperty("droppedTotal").GetInt64());
    }

    private protected static async Task WaitConnectedAsync(AgentHarness agent)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        await agent.Get<Edge.Agent.Mqtt.MqttConnection>().WhenConnectedAsync(timeout.Token);
    }

    protected static ReadOnlyMemory<byte> Payload(int n) => Encoding.UTF8.GetBytes($"{{\"n\":{n},\"pad\":\"{new string('p', 150)}\"}}");
}
