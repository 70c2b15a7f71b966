using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Json;
using Edge.Fleet.Publishing;
using Edge.Protocol.Ota;
using Edge.TestUtilities.Mqtt;
using MQTTnet;
using MQTTnet.Protocol;

namespace Edge.Fleet.Tests.Publishing;

[Collection(BrokerSerialGroup.Name)]
public sealed class ChunkServerTests : IAsyncLifetime, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("edge-fleet-chunks-").FullName;
    private MosquittoBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await MosquittoBroker.StartAsync();

    public async Task DisposeAsync() => await _broker.DisposeAsync();

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task StartAsync_DeviceRequestsChunks_AnswersEachWithVerifiedDataOrOutOfRange()
    {
        var package = Path.Combine(_folder, "p.bin");
        var bytes = Enumerable.Range(0, 10_000).Select(i => (byte)(i % 251)).ToArray();
        await File.WriteAllBytesAsync(package, bytes);
        var job = new OtaJobDocument { JobId = "j1", Package = new OtaPackageInfo { Name = "p", Version = "1.0.0", Size = bytes.Length, Sha256 = new string('1', 64) } };
        using var server = await BrokerConnection.ConnectAsync($"127.0.0.1:{_broker.Port}", "fleet", null, null, CancellationToken.None);
        await using var chunks = new ChunkServer(server, "f1");
        chunks.Serve(job, package);
        await chunks.StartAsync(CancellationToken.None);

        using var device = await BrokerConnection.ConnectAsync($"127.0.0.1:{_broker.Port}", "device", null, null, CancellationToken.None);
        var frames = new ConcurrentQueue<byte[]>();
        device.ApplicationMessageReceivedAsync += e =>
        {
            frames.Enqueue(e.ApplicationMessage.Payload.ToArray());
            return Task.CompletedTask;
        };
        await device.SubscribeAsync(OtaTopics.Chunk("f1", "d1"), MqttQualityOfServiceLevel.AtLeastOnce);
        var request = new OtaChunkRequest { JobId = "j1", PackageSha256 = job.Package.Sha256, ChunkSize = 4096, Chunks = [2, 0, 3] };
        await device.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(OtaTopics.ChunkRequest("f1", "d1"))
            .WithPayload(JsonSerializer.SerializeToUtf8Bytes(request, OtaJsonContext.Default.OtaChunkRequest)).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());

        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (frames.Count < 3 && waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(20);
        }

        var decoded = frames.Select(f => (Header: OtaChunkFrame.Decode(new ReadOnlySequence<byte>(f), out var data), Data: data.ToArray())).OrderBy(f => f.Header.Index).ToList();
        Assert.Equal(3, decoded.Count);
        Assert.Equal(bytes[..4096], decoded[0].Data);
        Assert.Equal(bytes[8192..], decoded[1].Data);
        Assert.Equal((OtaChunkErrors.OutOfRange, 10_000L), (decoded[2].Header.Error, decoded[2].Header.ServerSize!.Value));
        Assert.Equal(4096 + 1808, chunks.BytesServed);
    }

    [Fact]
    public async Task StartAsync_RequestForAJobItDoesNotServe_LeftForTheServerThatDoes()
    {
        var package = Path.Combine(_folder, "q.bin");
        await File.WriteAllBytesAsync(package, new byte[5000]);
        var job = new OtaJobDocument { JobId = "mine", Package = new OtaPackageInfo { Name = "q", Version = "1.0.0", Size = 5000, Sha256 = new string('2', 64) } };
        using var server = await BrokerConnection.ConnectAsync($"127.0.0.1:{_broker.Port}", "fleet-q", null, null, CancellationToken.None);
        await using var chunks = new ChunkServer(server, "f1");
        chunks.Serve(job, package);
        await chunks.StartAsync(CancellationToken.None);

        using var device = await BrokerConnection.ConnectAsync($"127.0.0.1:{_broker.Port}", "device-q", null, null, CancellationToken.None);
        var frames = new ConcurrentQueue<byte[]>();
        device.ApplicationMessageReceivedAsync += e =>
        {
            frames.Enqueue(e.ApplicationMessage.Payload.ToArray());
            return Task.CompletedTask;
        };
        await device.SubscribeAsync(OtaTopics.Chunk("f1", "d2"), MqttQualityOfServiceLevel.AtLeastOnce);

        // The server handles requests one at a time in arrival order: once the second is answered, the first was
        // handled too, and left unanswered.
        foreach (var request in new[]
        {
            new OtaChunkRequest { JobId = "someone-elses", PackageSha256 = new string('3', 64), ChunkSize = 4096, Chunks = [0] },
            new OtaChunkRequest { JobId = "mine", PackageSha256 = job.Package.Sha256, ChunkSize = 4096, Chunks = [1] },
        })
        {
            await device.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(OtaTopics.ChunkRequest("f1", "d2"))
                .WithPayload(JsonSerializer.SerializeToUtf8Bytes(request, OtaJsonContext.Default.OtaChunkRequest)).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        }

        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (frames.IsEmpty && waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(20);
        }

        var header = OtaChunkFrame.Decode(new ReadOnlySequence<byte>(Assert.Single(frames)), out _);
        Assert.Equal(("mine", 1, (string?)null), (header.JobId, header.Index, header.Error));
    }
}
