using Edge.Agent.Hosting;
using Edge.Agent.Mqtt;
using Edge.Agent.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Edge.Agent.Telemetry;

/// <summary>
/// Drains the outbox to the broker in id order while connected: reads a window of records (at least
/// <see cref="MinimumReadWindow"/>), publishes them as batches with a sliding window of up to MaxInFlight awaiting
/// PUBACK, and deletes the acknowledged prefix in one transaction, so the fsync cost is paid per window. A failure
/// leaves the rest in the outbox to be sent again after reconnecting (at-least-once; receivers de-duplicate by seq).
/// </summary>
internal sealed partial class TelemetryDelivery
{
    public const int MinimumReadWindow = 1024;

    private static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan FailurePause = TimeSpan.FromMilliseconds(100);

    private readonly SqliteOutbox _outbox;
    private readonly MqttConnection _connection;
    private readonly TelemetryBatchWriter _writer;
    private readonly TimeProvider _time;
    private readonly ILogger<TelemetryDelivery> _logger;
    private readonly int _batchSize;
    private readonly int _maxInFlight;
    private readonly AsyncSignal _recordsAdded = new();
    private long _messagesPublished;
    private long _recordsDelivered;

    public TelemetryDelivery(
        SqliteOutbox outbox,
        MqttConnection connection,
        TelemetryBatchWriter writer,
        IOptions<EdgeAgentOptions> options,
        TimeProvider time,
        ILogger<TelemetryDelivery> logger)
    {
        _outbox = outbox;
        _connection = connection;
        _writer = writer;
        _time = time;
        _logger = logger;
        _batchSize = options.Value.Telemetry.BatchSize;
        _maxInFlight = options.Value.Telemetry.MaxInFlight;
        _outbox.RecordsAdded += _recordsAdded.Set;
    }

    public long MessagesPublished => Interlocked.Read(ref _messagesPublished);

    public long RecordsDelivered => Interlocked.Read(ref _recordsDelivered);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await _connection.WhenConnectedAsync(cancellationToken);
                var records = await _outbox.ReadOldestAsync(Math.Max(_batchSize * _maxInFlight, MinimumReadWindow), 0, cancellationToken);
                if (records.Count == 0)
                {
                    await _recordsAdded.WaitAsync(IdlePoll, _time, cancellationToken);
                    continue;
                }

                await SendAsync(records, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
        }
    }

    private async Task SendAsync(IReadOnlyList<OutboxRecord> records, CancellationToken cancellationToken)
    {
        var array = records as OutboxRecord[] ?? [.. records];
        var batches = new List<(Task Publish, long LastSequence, int Count)>();
        // Not disposed: a cancelled wait can leave publishes that release it later; it holds no wait handle.
#pragma warning disable CA2000
        var window = new SemaphoreSlim(_maxInFlight, _maxInFlight);
#pragma warning restore CA2000
        for (var start = 0; start < array.Length; start += _batchSize)
        {
            var count = Math.Min(_batchSize, array.Length - start);
            var message = _writer.Write(array.AsSpan(start, count));
            await window.WaitAsync(cancellationToken);
            batches.Add((PublishAsync(message, window, cancellationToken), array[start + count - 1].Sequence, count));
            if (batches[^1].Publish.IsFaulted)
            {
                break; // disconnected: stop starting new publishes; the rest stays queued
            }
        }

        // Acknowledge only the prefix the broker accepted, so a failure re-sends as little as possible.
        long acknowledged = -1;
        var delivered = 0;
        Exception? failure = null;
        foreach (var (publish, lastSequence, count) in batches)
        {
            try
            {
                await publish;
                if (failure is null)
                {
                    acknowledged = lastSequence;
                    delivered += count;
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
#pragma warning disable CA1031 // Any publish failure means: keep the records and retry after reconnecting.
            catch (Exception e)
#pragma warning restore CA1031
            {
                failure ??= e;
            }
        }

        if (acknowledged >= 0)
        {
            await _outbox.AcknowledgeThroughAsync(acknowledged, cancellationToken);
            Interlocked.Add(ref _recordsDelivered, delivered);
        }

        if (failure is not null)
        {
            LogPublishFailed(_logger, failure.GetType().Name, failure.Message);
            await Task.Delay(FailurePause, _time, cancellationToken);
        }
    }

    private async Task PublishAsync(MQTTnet.MqttApplicationMessage message, SemaphoreSlim window, CancellationToken cancellationToken)
    {
        try
        {
            await _connection.PublishAsync(message, cancellationToken);
            Interlocked.Increment(ref _messagesPublished);
        }
        finally
        {
            window.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telemetry delivery paused; records stay in the outbox: {ErrorType}: {Error}")]
    private static partial void LogPublishFailed(ILogger logger, string errorType, string error);
}
