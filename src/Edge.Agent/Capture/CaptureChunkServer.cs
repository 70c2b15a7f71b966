using System.Runtime.CompilerServices;
using System.Text.Json;
using Edge.Agent.Mqtt;
using Edge.Agent.Ota;
using Edge.Protocol.Capture;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Protocol;

namespace Edge.Agent.Capture;

/// <summary>
/// Answers the fleet's requests for chunks of a snapshot (<c>edge.ota-chunk-request/1</c>, the snapshot id as
/// <c>jobId</c> and its SHA-256 as <c>packageSha256</c>) with <c>edge.ota-chunk/1</c> frames on
/// <c>edge/{fleet}/{device}/capture/chunk</c>. Every bad request gets error frames (<c>bad-request</c>,
/// <c>unknown-job</c>, <c>out-of-range</c>), and a chunk the daily data budget has no room for gets
/// <c>over-budget</c>; the loop always goes on to the next request.
/// </summary>
internal sealed partial class CaptureChunkServer
{
    /// <summary>The largest request payload read: 16 KiB (64 indexes need far less).</summary>
    public const int MaxRequestBytes = 16 * 1024;

    /// <summary>Most indexes in one request, as in OTA.</summary>
    public const int MaxIndexes = 64;

    private readonly CaptureRuntime _runtime;
    private readonly CaptureMessageHandler _inbox;
    private readonly MqttConnection _connection;
    private readonly OtaRuntime _ota;
    private readonly string _topic;
    private readonly ILogger<CaptureChunkServer> _logger;
    private long _bytesServed;

    public CaptureChunkServer(CaptureRuntime runtime, CaptureMessageHandler inbox, MqttConnection connection, OtaRuntime ota, TopicScheme topics, ILogger<CaptureChunkServer> logger)
    {
        _runtime = runtime;
        _inbox = inbox;
        _connection = connection;
        _ota = ota;
        _logger = logger;
        _topic = CaptureTopics.Chunk(topics.FleetId, topics.DeviceId);
    }

    /// <summary>Data bytes sent in chunk frames since start.</summary>
    public long BytesServed => Interlocked.Read(ref _bytesServed);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var payload in _inbox.Requests.ReadAllAsync(cancellationToken))
            {
                try
                {
                    // One frame at a time: a request for 64 chunks of 4 MiB never holds more than one chunk in memory.
                    await foreach (var frame in AnswerAsync(payload, cancellationToken))
                    {
                        await PublishAsync(frame, cancellationToken);
                    }
                }
                catch (IOException e)
                {
                    LogAnswerFailed(_logger, e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// The frames answering one request payload (data or errors; never none for a request that names a snapshot),
    /// produced one at a time as the caller takes them.
    /// </summary>
    internal async IAsyncEnumerable<byte[]> AnswerAsync(byte[] payload, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (payload.Length > MaxRequestBytes)
        {
            yield return OtaChunkFrame.EncodeError("", -1, OtaChunkErrors.BadRequest, null);
            yield break;
        }

        OtaChunkRequest? request;
        try
        {
            request = JsonSerializer.Deserialize(payload, OtaJsonContext.Default.OtaChunkRequest);
        }
        catch (JsonException)
        {
            request = null;
        }

        if (request is null || request.Schema != OtaSchemas.ChunkRequest || request.Chunks is null || request.JobId is null)
        {
            yield return OtaChunkFrame.EncodeError(request?.JobId ?? "", -1, OtaChunkErrors.BadRequest, null);
            yield break;
        }

        if (request.Chunks.Count is 0 or > MaxIndexes || request.ChunkSize is < OtaJobValidator.MinChunkSize or > OtaJobValidator.MaxChunkSize)
        {
            yield return OtaChunkFrame.EncodeError(request.JobId, -1, OtaChunkErrors.BadRequest, null);
            yield break;
        }

        var snapshot = await _runtime.Snapshots.FindAsync(request.JobId, cancellationToken);
        if (snapshot is null || !string.Equals(snapshot.Sha256, request.PackageSha256, StringComparison.Ordinal))
        {
            foreach (var index in request.Chunks)
            {
                yield return OtaChunkFrame.EncodeError(request.JobId, index, OtaChunkErrors.UnknownJob, null);
            }

            yield break;
        }

        var buffer = new byte[request.ChunkSize];
        var overBudget = false;
        await using (var file = new FileStream(snapshot.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, useAsync: true))
        {
            foreach (var index in request.Chunks)
            {
                var offset = (long)index * request.ChunkSize;
                if (index < 0 || offset >= snapshot.Size)
                {
                    yield return OtaChunkFrame.EncodeError(request.JobId, index, OtaChunkErrors.OutOfRange, snapshot.Size);
                    continue;
                }

                var length = (int)Math.Min(request.ChunkSize, snapshot.Size - offset);
                if (overBudget || !_ota.Budget.TryConsume(length, out _))
                {
                    overBudget = true;
                    yield return OtaChunkFrame.EncodeError(request.JobId, index, CaptureChunkErrors.OverBudget, snapshot.Size);
                    continue;
                }

                file.Position = offset;
                await file.ReadExactlyAsync(buffer.AsMemory(0, length), cancellationToken);
                Interlocked.Add(ref _bytesServed, length);
                yield return OtaChunkFrame.Encode(request.JobId, index, offset, buffer.AsSpan(0, length));
            }
        }

        if (_ota.Budget.LimitBytes > 0)
        {
            await _ota.Budget.SaveAsync(cancellationToken);
        }
    }

    private async Task PublishAsync(byte[] frame, CancellationToken cancellationToken)
    {
        var message = new MqttApplicationMessageBuilder().WithTopic(_topic).WithPayload(frame).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();
        try
        {
            await _connection.PublishAsync(message, cancellationToken);
        }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or MqttPublishRefusedException or InvalidOperationException)
        {
            // Lost with the connection: the fleet asks again after its chunk timeout.
            LogAnswerFailed(_logger, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A capture chunk could not be answered: {Error}")]
    private static partial void LogAnswerFailed(ILogger logger, string error);
}
