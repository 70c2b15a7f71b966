using Edge.Agent.Tests.Support;
using Edge.Fleet.Publishing;
using Edge.Protocol.Ota;
using MQTTnet;

namespace Edge.Agent.Tests.Ota.Support;

/// <summary>The fleet side of the tests: the real publisher types (JobPublisher, ChunkServer, JobStateTracker) on their own connection.</summary>
internal sealed class OtaPublisher : IAsyncDisposable
{
    public const string Fleet = "fleet1";
    private readonly MqttTestClient _client;
    private readonly JobSigner _signer;
    private int _jobs;

    private OtaPublisher(MqttTestClient client, JobSigner signer)
    {
        _client = client;
        _signer = signer;
        Jobs = new JobPublisher(client.Client, Fleet, signer);
        Chunks = new ChunkServer(client.Client, Fleet);
        States = new JobStateTracker(client.Client, Fleet);
    }

    public JobPublisher Jobs { get; }

    public ChunkServer Chunks { get; }

    public JobStateTracker States { get; }

    public IMqttClient Client => _client.Client;

    /// <summary>Connects; <paramref name="signer"/> (the operator key) is owned by the publisher from here on.</summary>
    public static async Task<OtaPublisher> StartAsync(string host, int port, JobSigner signer)
    {
        var client = await MqttTestClient.ConnectAsync(host, port, "edge-fleet-test-" + Guid.NewGuid().ToString("N")[..8], persistentSession: true);
        var publisher = new OtaPublisher(client, signer);
        await publisher.Chunks.StartAsync(CancellationToken.None);
        await publisher.States.StartAsync(CancellationToken.None);
        return publisher;
    }

    /// <summary>
    /// Short gate and watch for tests. The live-latency ratio is loose by default: a sub-second window on a shared
    /// 2-core machine sees scheduler noise; the watch-window test uses a model far slower than that noise.
    /// </summary>
    public static OtaHealthGate FastGate(double maxLatencyRatio = 1.2, double watchSeconds = 0.5, double maxLiveLatencyRatio = 30) => new()
    {
        MaxLatencyRatio = maxLatencyRatio,
        LatencyRuns = 40,
        WatchWindowSeconds = watchSeconds,
        MaxLiveLatencyRatio = maxLiveLatencyRatio,
    };

    public static string Describe(OtaJobStateReport report) =>
        $"{report.State}: {report.Reason} [{string.Join(", ", (report.Figures ?? new Dictionary<string, double>()).Select(f => $"{f.Key}={f.Value}"))}]";

    /// <summary>Publishes a job for <paramref name="package"/> to <paramref name="device"/> and serves its chunks.</summary>
    public async Task<OtaJobDocument> DeployAsync(string device, string package, OtaHealthGate? gate = null, OtaTransfer? transfer = null, Func<OtaJobDocument, OtaJobDocument>? change = null, bool allowDowngrade = false)
    {
        var job = await JobPublisher.CreateJobAsync(package, $"job-{Interlocked.Increment(ref _jobs)}-{Guid.NewGuid():N}"[..24], transfer ?? new OtaTransfer(), gate ?? FastGate(), allowDowngrade, null, DateTimeOffset.UnixEpoch, CancellationToken.None);
        job = change?.Invoke(job) ?? job;
        Chunks.Serve(job, package);
        await Jobs.PublishToDeviceAsync(device, job, CancellationToken.None);
        return job;
    }

    /// <summary>
    /// Publishes <paramref name="payload"/> as a device's retained job document, unchecked (for documents the real
    /// publisher refuses), in an envelope signed by the operator key unless <paramref name="sign"/> is false: the
    /// agent checks the signature first, so only a signed document reaches its validation.
    /// </summary>
    public async Task PublishRawAsync(string device, string payload, bool sign = true)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(payload);
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(OtaTopics.DeviceJob(Fleet, device))
            .WithPayload(sign ? _signer.SignDocument(bytes) : bytes)
            .WithRetainFlag()
            .WithQualityOfServiceLevel(MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        await Client.PublishAsync(message);
    }

    /// <summary>Reconnects after a broker restart; the persistent session keeps the subscriptions.</summary>
    public Task ReconnectAsync() => _client.ReconnectAsync(TimeSpan.FromSeconds(20));

    public async Task<OtaJobStateReport> WaitTerminalAsync(string device, string jobId, TimeSpan? timeout = null)
    {
        using var cancellation = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        try
        {
            return await States.WaitForTerminalAsync(device, jobId, cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            var seen = string.Join(" | ", States.History.Where(r => r.JobId == jobId).Select(r => $"{r.State} {r.Phase} {r.Reason}"));
            throw new TimeoutException($"Job {jobId} on {device} did not end within {timeout ?? TimeSpan.FromSeconds(30)}; reports: {seen}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        States.Dispose();
        await Chunks.DisposeAsync();
        await _client.DisposeAsync();
        _signer.Dispose();
    }
}
