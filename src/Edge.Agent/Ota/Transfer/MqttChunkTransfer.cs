using System.Buffers;
using System.Text.Json;
using Edge.Agent.Mqtt;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Protocol;

namespace Edge.Agent.Ota.Transfer;

/// <summary>
/// Fetches a package over the broker: keeps up to <c>Ota:ChunkWindow</c> chunk requests in flight, checks each
/// answered chunk (SHA-256 in its frame, index, offset, length), writes it at its offset whatever the arrival order,
/// ignores chunks it already holds, and requests again what timed out or was lost to a reconnect. Progress survives
/// restarts through <see cref="DownloadFile"/>.
/// </summary>
internal sealed partial class MqttChunkTransfer
{
    private const int MaxChunksPerRequest = 64;
    private readonly MqttConnection _connection;
    private readonly ChunkInbox _inbox;
    private readonly TopicScheme _topics;
    private readonly OtaOptions _options;
    private readonly ILogger<MqttChunkTransfer> _logger;

    public MqttChunkTransfer(MqttConnection connection, ChunkInbox inbox, TopicScheme topics, OtaOptions options, ILogger<MqttChunkTransfer> logger)
    {
        _connection = connection;
        _inbox = inbox;
        _topics = topics;
        _options = options;
        _logger = logger;
    }

    public async Task RunAsync(TransferSession session, CancellationToken cancellationToken)
    {
        var file = session.File;
        var time = session.Time;
        var reader = _inbox.Open();
        try
        {
            var inFlight = new Dictionary<int, long>();
            var connectionSeen = -1;
            var requestTopic = OtaTopics.ChunkRequest(_topics.FleetId, _topics.DeviceId);
            while (!file.IsComplete)
            {
                session.CheckDeadline();
                if (!_connection.IsConnected)
                {
                    await _connection.WhenConnectedAsync(cancellationToken);
                }

                if (_connection.ConnectionCount != connectionSeen)
                {
                    // Requests and answers in flight may have died with the old connection: ask again at once.
                    connectionSeen = _connection.ConnectionCount;
                    inFlight.Clear();
                }

                var now = time.GetTimestamp();
                foreach (var (index, requested) in inFlight.ToArray())
                {
                    if (time.GetElapsedTime(requested, now) > _options.ChunkTimeout)
                    {
                        inFlight.Remove(index);
                    }
                }

                await RequestMoreAsync(session, inFlight, requestTopic, cancellationToken);
                await ReceiveAsync(session, reader, inFlight, cancellationToken);
                await session.TickAsync(force: false, cancellationToken);
            }

            await session.TickAsync(force: true, cancellationToken);
        }
        finally
        {
            _inbox.Close();
        }
    }

    private async Task RequestMoreAsync(TransferSession session, Dictionary<int, long> inFlight, string topic, CancellationToken cancellationToken)
    {
        var file = session.File;
        var wanted = new List<int>();
        foreach (var index in file.Missing())
        {
            if (inFlight.Count + wanted.Count >= _options.ChunkWindow || wanted.Count == MaxChunksPerRequest)
            {
                break;
            }

            if (!inFlight.ContainsKey(index))
            {
                await session.AcquireAsync(file.ChunkLength(index), cancellationToken);
                wanted.Add(index);
            }
        }

        if (wanted.Count == 0)
        {
            return;
        }

        var request = new OtaChunkRequest { JobId = session.Job.JobId, PackageSha256 = session.Job.Package.Sha256, ChunkSize = file.ChunkSize, Chunks = wanted };
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(JsonSerializer.SerializeToUtf8Bytes(request, OtaJsonContext.Default.OtaChunkRequest))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        try
        {
            await _connection.PublishAsync(message, cancellationToken);
            var now = session.Time.GetTimestamp();
            foreach (var index in wanted)
            {
                inFlight[index] = now;
            }
        }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or MqttPublishRefusedException or InvalidOperationException)
        {
            // Not connected (or refused): the loop waits for the connection and asks again.
            LogRequestFailed(_logger, session.Job.JobId, e.Message);
            await Task.Delay(TimeSpan.FromMilliseconds(100), session.Time, cancellationToken);
        }
    }

    private async Task ReceiveAsync(TransferSession session, System.Threading.Channels.ChannelReader<byte[]> reader, Dictionary<int, long> inFlight, CancellationToken cancellationToken)
    {
        if (!reader.TryRead(out var frame))
        {
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            wait.CancelAfter(TimeSpan.FromMilliseconds(250));
            try
            {
                if (!await reader.WaitToReadAsync(wait.Token) || !reader.TryRead(out frame))
                {
                    return;
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }

        do
        {
            await AcceptAsync(session, frame, inFlight, cancellationToken);
        }
        while (reader.TryRead(out frame));
    }

    private async Task AcceptAsync(TransferSession session, byte[] frame, Dictionary<int, long> inFlight, CancellationToken cancellationToken)
    {
        var file = session.File;
        var job = session.Job;
        OtaChunkHeader header;
        ReadOnlySequence<byte> data;
        try
        {
            header = OtaChunkFrame.Decode(new ReadOnlySequence<byte>(frame), out data);
        }
        catch (InvalidDataException e)
        {
            session.RejectedChunks++;
            session.BytesTransferred += frame.Length;
            LogChunkRejected(_logger, job.JobId, e.Message);
            return;
        }

        if (header.JobId != job.JobId)
        {
            return;
        }

        session.BytesTransferred += data.Length;
        if (header.Error is { } error)
        {
            throw error == OtaChunkErrors.OutOfRange
                ? OtaJobException.Fail($"truncated transfer: the server's package is {header.ServerSize?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "shorter"} bytes, the job declares {job.Package.Size} (chunk {header.Index} is out of range)")
                : OtaJobException.Fail($"the publisher refused chunk {header.Index}: {error}");
        }

        if (header.Index < 0 || header.Index >= file.ChunkCount || header.Offset != file.ChunkOffset(header.Index) || header.Length != file.ChunkLength(header.Index))
        {
            session.RejectedChunks++;
            var expected = header.Index >= 0 && header.Index < file.ChunkCount ? $"offset {file.ChunkOffset(header.Index)}, {file.ChunkLength(header.Index)} bytes" : $"an index below {file.ChunkCount}";
            LogChunkRejected(_logger, job.JobId, $"chunk {header.Index} at offset {header.Offset} with {header.Length} bytes; expected {expected}");
            inFlight.Remove(header.Index);
            return;
        }

        inFlight.Remove(header.Index);
        if (!await file.WriteChunkAsync(header.Index, data.IsSingleSegment ? data.First : data.ToArray(), cancellationToken))
        {
            session.DuplicateChunks++;
            LogDuplicate(_logger, job.JobId, header.Index);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "OTA job {JobId}: chunk request not sent: {Error}")]
    private static partial void LogRequestFailed(ILogger logger, string jobId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "OTA job {JobId}: chunk rejected and requested again: {Problem}")]
    private static partial void LogChunkRejected(ILogger logger, string jobId, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "OTA job {JobId}: chunk {Index} arrived again and was ignored")]
    private static partial void LogDuplicate(ILogger logger, string jobId, int index);
}
