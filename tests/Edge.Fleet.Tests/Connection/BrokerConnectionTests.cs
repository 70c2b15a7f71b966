using System.Collections.Concurrent;
using Edge.Fleet.Connection;
using Edge.Fleet.Tests.Simulation;
using Edge.TestUtilities.Mqtt;
using MQTTnet;

namespace Edge.Fleet.Tests.Connection;

public sealed class BrokerConnectionTests
{
    [Fact]
    public async Task MessageReceived_HandlerThrows_OtherHandlersStillGetEveryMessage()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var connection = new BrokerConnection(new BrokerOptions { Host = broker.Host, Port = broker.Port }, TimeProvider.System, "test");
        var received = new ConcurrentQueue<string>();
        connection.MessageReceived += _ => throw new InvalidOperationException("handler bug");
        connection.MessageReceived += m =>
        {
            received.Enqueue(m.Topic);
            return Task.CompletedTask;
        };
        await connection.ConnectAsync(CancellationToken.None);
        await connection.SubscribeAsync("edge/f1/+/telemetry", CancellationToken.None);

        for (var i = 0; i < 3; i++)
        {
            await connection.PublishAsync(new MqttApplicationMessageBuilder().WithTopic($"edge/f1/d{i}/telemetry").WithPayload("{}").Build(), CancellationToken.None);
        }

        await FleetToolHarness.WaitUntilAsync(() => received.Count == 3, TimeSpan.FromSeconds(10), () => $"{received.Count} of 3 received");
        Assert.Equal(3, connection.HandlerErrors);
    }

    [Fact]
    public void Constructor_InvalidOptions_ListsEveryProblem()
    {
        var options = new BrokerOptions { Host = "", Port = 70000, ProtocolVersion = "4", Password = "x", Tls = true };

        var error = Assert.Throws<ArgumentException>(() => new BrokerConnection(options, TimeProvider.System, "test"));

        Assert.Contains("the host is empty", error.Message, StringComparison.Ordinal);
        Assert.Contains("70000 is outside 1..65535", error.Message, StringComparison.Ordinal);
        Assert.Contains("'4' is not supported", error.Message, StringComparison.Ordinal);
        Assert.Contains("--password was given without --username", error.Message, StringComparison.Ordinal);
        Assert.Contains("--tls needs --ca-file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PersistentSession_ToolAway_BrokerQueuesMessagesForTheSameClientId()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        var options = new BrokerOptions { Host = broker.Host, Port = broker.Port, PersistentSession = true, ClientId = "edge-fleet-monitor-test" };
        await using (var first = new BrokerConnection(options, TimeProvider.System, "test"))
        {
            await first.ConnectAsync(CancellationToken.None);
            await first.SubscribeAsync("edge/f1/+/telemetry", CancellationToken.None);
        }

        await using var device = new BrokerConnection(new BrokerOptions { Host = broker.Host, Port = broker.Port }, TimeProvider.System, "device");
        await device.ConnectAsync(CancellationToken.None);
        var telemetry = new MqttApplicationMessageBuilder().WithTopic("edge/f1/d1/telemetry").WithPayload("{}")
            .WithQualityOfServiceLevel(MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce).Build();
        await device.PublishAsync(telemetry, CancellationToken.None);

        // The same client id comes back without subscribing: the session kept the subscription and the message.
        var received = new ConcurrentQueue<string>();
        await using var second = new BrokerConnection(options, TimeProvider.System, "test");
        second.MessageReceived += m =>
        {
            received.Enqueue(m.Topic);
            return Task.CompletedTask;
        };
        await second.ConnectAsync(CancellationToken.None);

        await FleetToolHarness.WaitUntilAsync(() => received.Count == 1, TimeSpan.FromSeconds(10), () => "the queued message did not arrive");
    }

    [Fact]
    public void Constructor_PersistentSessionWithoutClientId_IsRefused()
    {
        var options = new BrokerOptions { PersistentSession = true };

        var error = Assert.Throws<ArgumentException>(() => new BrokerConnection(options, TimeProvider.System, "test"));

        Assert.Contains("A persistent session needs a fixed client id", error.Message, StringComparison.Ordinal);
    }
}
