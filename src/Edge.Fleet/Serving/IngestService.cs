using System.Threading.Channels;
using Edge.Fleet.Connection;
using Edge.Fleet.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Edge.Fleet.Serving;

/// <summary>
/// The ingest loop of <c>edge-fleet serve</c>. It keeps a persistent MQTT session (clean start false, a client id fixed
/// by the instance id), takes its share of the fleet's telemetry through <see cref="ServeOptions.TelemetryFilter"/> and
/// every status through <see cref="ServeOptions.StatusFilter"/>, and stores what arrived in batches: whatever is queued
/// when the loop comes round, up to <see cref="ServeOptions.MaxBatchMessages"/>, in arrival order. A message is
/// acknowledged only after its batch is stored, so if the process dies the broker still holds it and redelivers it to
/// this instance's session when it comes back; the store's (device, seq) key turns a second copy into nothing.
/// </summary>
internal sealed class IngestService : BackgroundService
{
    private readonly ServeOptions _options;
    private readonly BrokerOptions _broker;
    private readonly IFleetStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger<IngestService> _logger;
    private readonly TaskCompletionSource _subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IngestService(ServeOptions options, BrokerOptions broker, IFleetStore store, ServeStatistics statistics, TimeProvider time, ILogger<IngestService> logger)
    {
        _options = options;
        _store = store;
        _time = time;
        _logger = logger;
        Statistics = statistics;
        _broker = broker.ForClient(broker.ClientId ?? options.ClientId);
        _broker.PersistentSession = true;
        _broker.SessionExpiry = broker.SessionExpiry;
        _broker.SharedSubscriptionGroup = options.Shared ? options.ShareGroup : null;
    }

    public ServeStatistics Statistics { get; }

    /// <summary>Completes once connected and subscribed; faults if the broker could not be reached.</summary>
    public Task Subscribed => _subscribed.Task;

    /// <summary>Why the loop ended early (the broker was unreachable at start), or null.</summary>
    public Exception? Failure { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RunAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            _subscribed.TrySetCanceled(stoppingToken);
        }
        catch (Exception e)
        {
            // Kept for the command, which turns it into its exit code (2 for an unreachable broker, 1 for a bug);
            // rethrown so the host stops.
            Failure = e;
            _subscribed.TrySetException(e);
            throw;
        }
    }

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        await using var connection = new BrokerConnection(_broker, _time, "serve", acknowledgeAfterStoring: true);
        connection.StatusChanged += line => _logger.Broker(line);
        _logger.Started(_options.Instance, connection.ClientId, _options.Fleet, connection.Endpoint, _store.Description, _options.TelemetryFilter);

        // Subscribed before connecting (the filters are remembered): on a session the broker kept, what it queued
        // arrives right after CONNACK and goes straight into the unacknowledged queue.
        await connection.SubscribeAsync(_options.TelemetryFilter, stoppingToken);
        await connection.SubscribeAsync(_options.StatusFilter, stoppingToken);
        await connection.ConnectAsync(stoppingToken);
        _subscribed.TrySetResult();
        _logger.Subscribed(_options.Instance);
        using var stopKeeping = new CancellationTokenSource();
        var keepConnected = connection.KeepConnectedAsync(stopKeeping.Token);
        try
        {
            await IngestAsync(connection.Unacknowledged, stoppingToken);
        }
        finally
        {
            // The last batch is stored and acknowledged before the link goes; anything still queued is unacknowledged
            // and comes back with the session on the next start.
            await stopKeeping.CancelAsync();
            await keepConnected;
            await connection.StopReceivingAsync();
            _logger.Stopped(_options.Instance, Statistics);
        }
    }

    private async Task IngestAsync(ChannelReader<ReceivedMessage> received, CancellationToken stoppingToken)
    {
        var writer = new IngestWriter(_options.Fleet, _store.Telemetry, _store.Inventory, Statistics, _logger, _time);
        var batch = new List<ReceivedMessage>(_options.MaxBatchMessages);
        var lastPrune = _time.GetTimestamp();
        while (true)
        {
            try
            {
                if (!await received.WaitToReadAsync(stoppingToken))
                {
                    return;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }

            batch.Clear();
            while (batch.Count < _options.MaxBatchMessages && received.TryRead(out var message))
            {
                batch.Add(message);
            }

            if (!await StoreWithRetryAsync(writer, batch, stoppingToken))
            {
                return;
            }

            // In arrival order, as MQTT wants acknowledgements; a stop request does not cut this short.
            foreach (var message in batch)
            {
                if (!await message.AcknowledgeAsync(CancellationToken.None))
                {
                    Statistics.AddUnacknowledged();
                }
            }

            if (_time.GetElapsedTime(lastPrune) >= _options.PruneInterval)
            {
                await PruneAsync();
                lastPrune = _time.GetTimestamp();
            }
        }
    }

    /// <summary>Stores the batch, retrying a failing store with backoff; false when stopped before it succeeded.</summary>
    private async Task<bool> StoreWithRetryAsync(IngestWriter writer, List<ReceivedMessage> batch, CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromSeconds(1);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // Not cancelled by a stop request: a batch that started is finished, so it can be acknowledged.
                await writer.StoreAsync(batch, CancellationToken.None);
                return true;
            }
#pragma warning disable CA1031 // A database that is away (restart, fail-over, network) must not end the service; the batch waits unacknowledged.
            catch (Exception e)
#pragma warning restore CA1031
            {
                _logger.StoreFailed(e, batch.Count, attempt, delay.TotalSeconds);
            }

            try
            {
                await Task.Delay(delay, _time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return false;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
        }
    }

    private async Task PruneAsync()
    {
        try
        {
            await _store.Telemetry.PruneAsync(_time.GetUtcNow(), CancellationToken.None);
        }
#pragma warning disable CA1031 // Retention is housekeeping; ingest goes on and it is tried again at the next interval.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _logger.PruneFailed(e);
        }
    }
}
