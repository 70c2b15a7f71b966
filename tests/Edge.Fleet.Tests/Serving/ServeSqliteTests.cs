using System.Text;
using Edge.Fleet.Storage;
using Edge.Fleet.Tests.Simulation;
using Edge.TestUtilities.Mqtt;
using MQTTnet;
using MQTTnet.Protocol;

namespace Edge.Fleet.Tests.Serving;

/// <summary><c>edge-fleet serve</c> on the SQLite store: one instance, real agents, and a device sending garbage.</summary>
[Collection(SimulatedFleetGroup.Name)]
public sealed class ServeSqliteTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private readonly string _directory = Directory.CreateTempSubdirectory("edge-fleet-serve-").FullName;
    private MosquittoBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await MosquittoBroker.StartAsync();

    public async Task DisposeAsync()
    {
        await _broker.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Serve_SqliteStoreWithMalformedTelemetry_CountsItAndStoresEveryGoodRecordOnce()
    {
        var spec = StoreSpec.Sqlite(Path.Combine(_directory, "state.db"));
        await using var serve = await InProcessServe.StartAsync("lite", "only", _broker.Host, _broker.Port, spec);

        // Not JSON, then a batch with one bad record: both counted, neither stops the loop.
        await PublishAsync("edge/lite/dev-bad/telemetry", "{not json");
        await PublishAsync("edge/lite/dev-bad/telemetry", """{"schema":"edge.telemetry/1","device":"dev-bad","records":[{"seq":"one","data":{}}]}""");
        await PublishAsync("edge/lite/dev-bad/status", "[]");
        await FleetToolHarness.WaitUntilAsync(() => serve.Statistics.Malformed == 3, Patience, () => serve.Statistics.ToString());

        await using (var fleet = await SimulatedFleet.StartAsync(_broker.Host, _broker.Port, "lite", 2, new SimulationSettings { TelemetryInterval = TimeSpan.FromMilliseconds(100) }))
        {
            await FleetToolHarness.WaitUntilAsync(() => serve.Statistics.TelemetryRows > 40, Patience, () => serve.Statistics.ToString());
            var expected = await StoredTelemetry.StopAgentsAsync(fleet);
            await StoredTelemetry.AssertExactlyOnceAsync(serve.Store, expected, Patience);
        }

        await serve.StopAsync(); // the batch in hand is finished and acknowledged before the loop ends
        Assert.Equal(3, serve.Statistics.Malformed);
        Assert.Equal(0, serve.Statistics.Unacknowledged);
    }

    private async Task PublishAsync(string topic, string payload)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer(_broker.Host, _broker.Port).Build());
        await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(Encoding.UTF8.GetBytes(payload)).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        await client.DisconnectAsync();
    }
}
