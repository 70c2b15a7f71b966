using System.Buffers;
using System.Text;
using System.Threading.Channels;
using Edge.Fleet.Connection;
using Edge.Fleet.Inventory;
using MQTTnet;

namespace Edge.Fleet.Monitoring;

/// <summary>
/// Subscribes to a fleet's telemetry (plainly, or as a shared subscription <c>$share/{group}/…</c> so several
/// instances split the load on a clustered broker), parses every message on the receive loop into the live
/// <see cref="FleetMonitorState"/>, and writes new records to the <see cref="TelemetryStore"/> in batches from a
/// separate task so the broker connection never waits for the disk. Malformed messages are counted, kept for
/// display and stored; they never stop ingestion.
/// </summary>
internal sealed class TelemetryIngestor
{
    private readonly string _fleet;
    private readonly FleetMonitorState _state;
    private readonly TelemetryStore? _store;
    private readonly InventoryStore? _inventory;
    private readonly TimeProvider _time;
    private readonly Channel<Pending> _pending = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private long _stored;

    public TelemetryIngestor(string fleet, FleetMonitorState state, TelemetryStore? store, InventoryStore? inventory, TimeProvider time)
    {
        _fleet = fleet;
        _state = state;
        _store = store;
        _inventory = inventory;
        _time = time;
    }

    /// <summary>Rows written to the store so far.</summary>
    public long Stored => Interlocked.Read(ref _stored);

    public static string Filter(string fleet, string? shareGroup) =>
        (shareGroup is null ? string.Empty : $"$share/{shareGroup}/") + $"{TopicScheme.Root}/{fleet}/+/telemetry";

    public async Task StartAsync(BrokerConnection connection, string? shareGroup, CancellationToken cancellationToken)
    {
        connection.MessageReceived += OnMessageAsync;
        await connection.SubscribeAsync(Filter(_fleet, shareGroup), cancellationToken);
    }

    /// <summary>Handles one message; returns whether it was a telemetry topic.</summary>
    public bool Handle(MqttApplicationMessage message)
    {
        if (!message.Topic.EndsWith("/telemetry", StringComparison.Ordinal))
        {
            return false;
        }

        var received = _time.GetUtcNow();
        var result = TelemetryParser.Parse(message.Topic, message.Payload);
        var fresh = _state.Ingest(message.Topic, result, received);
        if (fresh.Count > 0 || result.IsMalformed)
        {
            var excerpt = result.IsMalformed ? Excerpt(message) : null;
            _pending.Writer.TryWrite(new Pending(message.Topic, result, fresh, received, excerpt));
        }

        return true;
    }

    /// <summary>Writes queued records every <paramref name="interval"/> until cancelled, then drains what is left.</summary>
    public async Task RunStorageAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        var lastPrune = _time.GetTimestamp();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(interval, _time, cancellationToken);
                await FlushAsync(CancellationToken.None);
                if (_store is not null && _time.GetElapsedTime(lastPrune) > TimeSpan.FromMinutes(1))
                {
                    await _store.PruneAsync(_time.GetUtcNow(), CancellationToken.None);
                    lastPrune = _time.GetTimestamp();
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        await FlushAsync(CancellationToken.None);
    }

    /// <summary>Writes everything queued so far.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var records = new List<TelemetryRecord>();
        var lastSeen = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var received = _time.GetUtcNow();
        while (_pending.Reader.TryRead(out var pending))
        {
            records.AddRange(pending.Fresh);
            if (pending.Result.Device is { } device)
            {
                lastSeen[device] = pending.Received;
            }

            if (_store is not null && pending.Excerpt is not null)
            {
                foreach (var error in pending.Result.Errors)
                {
                    await _store.AddMalformedAsync(new MalformedTelemetry(pending.Result.Device, pending.Topic, pending.Received, error), pending.Excerpt, cancellationToken);
                }
            }
        }

        if (_store is not null && records.Count > 0)
        {
            Interlocked.Add(ref _stored, await _store.AddAsync(records, received, cancellationToken));
        }

        if (_inventory is not null && lastSeen.Count > 0)
        {
            await _inventory.TouchAsync(lastSeen, cancellationToken);
        }
    }

    private Task OnMessageAsync(MqttApplicationMessage message)
    {
        Handle(message);
        return Task.CompletedTask;
    }

    private static string Excerpt(MqttApplicationMessage message)
    {
        var bytes = message.Payload.Length > 200 ? message.Payload.Slice(0, 200).ToArray() : message.Payload.ToArray();
        return Encoding.UTF8.GetString(bytes);
    }

    private sealed record Pending(string Topic, TelemetryParseResult Result, IReadOnlyList<TelemetryRecord> Fresh, DateTimeOffset Received, string? Excerpt);
}
