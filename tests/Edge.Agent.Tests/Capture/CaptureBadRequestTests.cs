using System.Buffers;
using System.Text;
using System.Text.Json;
using Edge.Agent.Tests.Ota;
using Edge.Agent.Tests.Support;
using Edge.Protocol.Capture;
using Edge.Protocol.Ota;
using MQTTnet;

namespace Edge.Agent.Tests.Capture;

/// <summary>
/// Bad capture commands and chunk requests on a real broker and agent: each gets an error response or error frame
/// naming the problem, and the agent goes on answering good ones.
/// </summary>
[Collection(OtaSerialGroup.Name)]
public sealed class CaptureBadRequestTests : IAsyncLifetime
{
    private const string Device = "cap-bad";
    private CaptureTestBed _bed = null!;
    private AgentHarness _agent = null!;
    private MqttTestClient _client = null!;

    public async Task InitializeAsync()
    {
        _bed = await CaptureTestBed.StartAsync();
        _agent = await _bed.StartAgentAsync(Device, captureEnabled: true);
        _client = await MqttTestClient.ConnectAsync(_bed.Broker.Host, _bed.Broker.Port, "capture-bad-test");
        await _client.SubscribeAsync($"edge/fleet1/{Device}/capture/chunk");
        await _client.SubscribeAsync($"edge/fleet1/{Device}/cmd/response/#");
        await CaptureTestBed.InferAsync(_agent, 3, seed: 5);
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _agent.DisposeAsync();
        await _bed.DisposeAsync();
    }

    private async Task<JsonElement> CommandAsync(string name, string args)
    {
        var id = Guid.NewGuid().ToString("N");
        await _client.PublishAsync($"edge/fleet1/{Device}/cmd/{name}", $$"""{"correlationId":"{{id}}","args":{{args}}}""");
        var message = await _client.WaitForAsync(m => m.Topic.Contains("/cmd/response", StringComparison.Ordinal) && MqttTestClient.Json(m).GetProperty("correlationId").GetString() == id, TimeSpan.FromSeconds(20), name);
        return MqttTestClient.Json(message);
    }

    private async Task<List<OtaChunkHeader>> ChunkAsync(byte[] payload, int frames)
    {
        _client.Clear();
        await _client.Client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(CaptureTopics.ChunkRequest("fleet1", Device)).WithPayload(payload).Build());
        await MqttTestClient.WaitUntilAsync(() => _client.Received.Count(m => m.Topic.EndsWith("/capture/chunk", StringComparison.Ordinal)) >= frames, TimeSpan.FromSeconds(20), () => $"{frames} chunk frames");
        return [.. _client.Received.Where(m => m.Topic.EndsWith("/capture/chunk", StringComparison.Ordinal)).Select(m => OtaChunkFrame.Decode(new ReadOnlySequence<byte>(m.Payload.ToArray()), out _))];
    }

    private static byte[] Request(string snapshot, string sha, int chunkSize, IEnumerable<int> chunks) =>
        JsonSerializer.SerializeToUtf8Bytes(new OtaChunkRequest { JobId = snapshot, PackageSha256 = sha, ChunkSize = chunkSize, Chunks = [.. chunks] }, OtaJsonContext.Default.OtaChunkRequest);

    [Fact]
    public async Task Commands_BadArguments_AnsweredWithWhatWasWrong_AgentKeepsAnswering()
    {
        var missing = await CommandAsync("capture-config", "{}");
        var bad = await CommandAsync("capture-config", """{"enabled":true,"sampleFraction":2,"maxSamples":0,"maxBytes":10}""");
        var wrongType = await CommandAsync("capture-config", """{"enabled":"yes"}""");
        var strange = await CommandAsync("capture-snapshot", """{"snapshotId":"../../etc/passwd"}""");
        var status = await CommandAsync("capture-status", "{}");

        Assert.Equal(("invalid-arguments", "Argument 'enabled' (true or false) is required."), (missing.GetProperty("error").GetProperty("code").GetString(), missing.GetProperty("error").GetProperty("message").GetString()));
        var message = bad.GetProperty("error").GetProperty("message").GetString()!;
        Assert.Contains("sampleFraction must be above 0 and at most 1", message, StringComparison.Ordinal);
        Assert.Contains("maxSamples must be between 1 and 1000000; got 0.", message, StringComparison.Ordinal);
        Assert.Contains("maxBytes must be at least 4096 bytes; got 10.", message, StringComparison.Ordinal);
        Assert.Equal("invalid-arguments", wrongType.GetProperty("error").GetProperty("code").GetString());
        Assert.True(strange.GetProperty("ok").GetBoolean());
        Assert.False(strange.GetProperty("result").GetProperty("requestedFound").GetBoolean());
        Assert.Equal("snap-3-3", strange.GetProperty("result").GetProperty("snapshotId").GetString());
        Assert.Equal(3, status.GetProperty("result").GetProperty("samples").GetInt32());
        Assert.True(status.GetProperty("result").GetProperty("enabled").GetBoolean());
    }

    [Fact]
    public async Task Status_FleetOnMqtt311_AnsweredThroughReplyToInThePayload()
    {
        var (code, output, error) = await _bed.FleetAsync("capture", "status", Device, "--mqtt-version", "3.1.1");

        Assert.True(code == 0, output + error);
        Assert.StartsWith($"{Device}: capture on, fraction 1, at most 1000 samples", output, StringComparison.Ordinal);
        Assert.Contains("holds 3 samples", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChunkRequests_Bad_AnsweredWithErrorFrames_GoodOneStillServed()
    {
        var snapshot = (await CommandAsync("capture-snapshot", "{}")).GetProperty("result");
        var id = snapshot.GetProperty("snapshotId").GetString()!;
        var sha = snapshot.GetProperty("sha256").GetString()!;
        var size = snapshot.GetProperty("size").GetInt64();

        var notJson = Assert.Single(await ChunkAsync(Encoding.UTF8.GetBytes("not json"), 1));
        var tooMany = Assert.Single(await ChunkAsync(Request(id, sha, 4096, Enumerable.Range(0, 65)), 1));
        var tooLarge = Assert.Single(await ChunkAsync(new byte[20_000], 1));
        var badSize = Assert.Single(await ChunkAsync(Request(id, sha, 100, [0]), 1));
        var unknown = await ChunkAsync(Request("snap-999-1", sha, 4096, [0, 1]), 2);
        var wrongSha = Assert.Single(await ChunkAsync(Request(id, new string('0', 64), 4096, [0]), 1));
        var outOfRange = await ChunkAsync(Request(id, sha, 4096, [-1, 10_000]), 2);
        var good = Assert.Single(await ChunkAsync(Request(id, sha, 4096, [0]), 1));

        Assert.All(new[] { notJson, tooMany, tooLarge, badSize }, h => Assert.Equal((OtaChunkErrors.BadRequest, -1), (h.Error, h.Index)));
        Assert.Equal(id, tooMany.JobId);
        Assert.All(unknown, h => Assert.Equal(OtaChunkErrors.UnknownJob, h.Error));
        Assert.Equal(OtaChunkErrors.UnknownJob, wrongSha.Error);
        Assert.All(outOfRange, h => Assert.Equal((OtaChunkErrors.OutOfRange, (long?)size), (h.Error, h.ServerSize)));
        Assert.Null(good.Error);
        Assert.Equal((id, 0, (int)Math.Min(4096, size)), (good.JobId, good.Index, good.Length));
        Assert.True((await CommandAsync("capture-status", "{}")).GetProperty("ok").GetBoolean());
    }
}
