using System.IO.Compression;
using System.Text;
using Edge.Fleet.Connection;
using Edge.Fleet.Monitoring;
using Edge.Fleet.Storage.Sqlite;
using Edge.TestUtilities.Mqtt;
using MQTTnet;

namespace Edge.Fleet.Tests.Monitoring;

/// <summary>Ingestion from real Mosquitto: good, duplicate, gzip and malformed telemetry.</summary>
public sealed class TelemetryIngestorTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("edge-fleet-ingest-").FullName;
    private MosquittoBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await MosquittoBroker.StartAsync();

    public async Task DisposeAsync()
    {
        await _broker.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private static string Batch(string device, long seq, double p95) =>
        "{\"schema\":\"edge.telemetry/1\",\"fleet\":\"f1\",\"device\":\"" + device + "\",\"records\":[{\"seq\":" + seq.ToString(System.Globalization.CultureInfo.InvariantCulture) + ",\"ts\":\"2026-11-22T10:00:0" + seq.ToString(System.Globalization.CultureInfo.InvariantCulture)
        + "Z\",\"data\":{\"kind\":\"sample\",\"timestamp\":\"2026-11-22T10:00:0" + seq.ToString(System.Globalization.CultureInfo.InvariantCulture) + "Z\",\"intervalMs\":1000,\"system\":{\"cpuPercent\":12.5,\"temperatureCelsius\":51},"
        + "\"inference\":[{\"model\":\"mnist\",\"version\":\"1.0.0\",\"provider\":\"cpu\",\"calls\":100,\"errors\":1,\"p50Ms\":2,\"p95Ms\":"
        + p95.ToString(System.Globalization.CultureInfo.InvariantCulture) + "}],\"outbox\":{\"pending\":0,\"pendingBytes\":0,\"droppedTotal\":0}}}]}";

    [Fact]
    public async Task Handle_MalformedAmongGoodMessages_CountsStoresAndKeepsIngesting()
    {
        await using var database = await FleetDatabase.OpenAsync(Path.Combine(_directory, "state.db"), CancellationToken.None);
        var store = new SqliteTelemetryStore(database);
        var state = new FleetMonitorState();
        var ingestor = new TelemetryIngestor("f1", state, store, null, TimeProvider.System);
        await using var connection = new BrokerConnection(new BrokerOptions { Host = _broker.Host, Port = _broker.Port }, TimeProvider.System, "test");
        await connection.ConnectAsync(CancellationToken.None);
        await ingestor.StartAsync(connection, null, CancellationToken.None);
        using var device = new MqttClientFactory().CreateMqttClient();
        await device.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer(_broker.Host, _broker.Port).Build());
        async Task Send(string device1, byte[] payload) =>
            await device.PublishAsync(new MqttApplicationMessageBuilder().WithTopic($"edge/f1/{device1}/telemetry").WithPayload(payload).WithQualityOfServiceLevel(MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce).Build());

        await Send("d1", Encoding.UTF8.GetBytes(Batch("d1", 1, 4.0)));
        await Send("d1", Encoding.UTF8.GetBytes(Batch("d1", 1, 4.0))); // re-sent after a reconnect
        await Send("d1", [0x1f, 0x8b, 0x00, 0x01, 0x02]); // corrupt gzip
        await Send("d1", Encoding.UTF8.GetBytes("[1,2,3]"));
        await Send("d2", Encoding.UTF8.GetBytes(Batch("d1", 2, 4.0))); // payload claims another device
        await Send("d1", Gzip(Batch("d1", 2, 6.0)));
        await FleetToolHarnessWait(() => state.Snapshot("f1", null, DateTimeOffset.UnixEpoch, "connected").MessagesIngested >= 6);
        await ingestor.FlushAsync(CancellationToken.None);

        var snapshot = state.Snapshot("f1", null, DateTimeOffset.UnixEpoch, "connected");
        Assert.Equal(2, snapshot.RecordsIngested);
        Assert.Equal(1, snapshot.Duplicates);
        Assert.Equal(3, snapshot.MalformedMessages);
        Assert.Equal(6.0, snapshot.Devices.Single(d => d.Device == "d1").P95Ms);
        Assert.Equal(2, snapshot.Devices.Single(d => d.Device == "d1").Malformed);
        Assert.Contains(snapshot.RecentMalformed, m => m.Error.StartsWith("corrupt gzip payload", StringComparison.Ordinal));
        Assert.Contains(snapshot.RecentMalformed, m => m.Error.Contains("but the topic is for 'd2'", StringComparison.Ordinal));
        Assert.Equal(2, await store.CountAsync(CancellationToken.None));
        var malformedRows = await database.RunAsync(c => (long)FleetDatabase.Scalar(c, "SELECT COUNT(*) FROM malformed_telemetry")!, CancellationToken.None);
        Assert.Equal(3, malformedRows);
    }

    [Fact]
    public async Task PruneAsync_MoreRowsThanTheBound_KeepsTheNewest()
    {
        await using var database = await FleetDatabase.OpenAsync(Path.Combine(_directory, "bounded.db"), CancellationToken.None);
        var store = new SqliteTelemetryStore(database, maxRows: 5, maxAge: TimeSpan.FromDays(1));
        var now = new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
        for (var seq = 1; seq <= 8; seq++)
        {
            var parsed = TelemetryParser.Parse("edge/f1/d1/telemetry", new System.Buffers.ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(Batch("d1", seq, seq))));
            await store.AddAsync(parsed.Records, now.AddSeconds(seq), CancellationToken.None);
        }

        var old = TelemetryParser.Parse("edge/f1/d9/telemetry", new System.Buffers.ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(Batch("d9", 1, 1))));
        await store.AddAsync(old.Records, now.AddDays(-3), CancellationToken.None);

        var deleted = await store.PruneAsync(now.AddSeconds(10), CancellationToken.None);

        Assert.Equal(4, deleted);
        var rows = await store.QueryAsync(DateTimeOffset.UnixEpoch, null, CancellationToken.None);
        Assert.Equal([4L, 5, 6, 7, 8], rows.Select(r => r.Seq).Order());
        using var csv = new StringWriter();
        await TelemetryExporter.WriteAsync(rows, "csv", csv, CancellationToken.None);
        var lines = csv.ToString().TrimEnd().Split('\n');
        Assert.Equal(6, lines.Length);
        Assert.StartsWith("device,seq,at,received,model,version,calls,errors,p50_ms,p95_ms", lines[0], StringComparison.Ordinal);
        Assert.Equal("d1,4,2026-11-22T10:00:04.000Z,2026-11-22T12:00:04.000Z,mnist,1.0.0,100,1,2,4,,12.5,,,51", lines[1]);
    }

    private static byte[] Gzip(string text)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        return output.ToArray();
    }

    private static Task FleetToolHarnessWait(Func<bool> condition) =>
        Simulation.FleetToolHarness.WaitUntilAsync(condition, TimeSpan.FromSeconds(10), () => "messages ingested");
}
