using System.Buffers;
using System.Collections.Concurrent;
using Edge.Fleet.Connection;
using MQTTnet;

namespace Edge.Fleet.Inventory;

/// <summary>
/// Follows the retained status topics of a fleet (<c>edge/{fleet}/+/status</c>). On subscribe the broker sends every
/// retained status at once; <see cref="WaitForRetainedAsync"/> returns when that burst has gone quiet. Later messages
/// keep the picture current (online/offline as devices come and go).
/// </summary>
internal sealed class StatusCollector
{
    private readonly ConcurrentDictionary<string, StatusPayload> _statuses = new(StringComparer.Ordinal);
    private readonly string _fleet;
    private readonly TimeProvider _time;
    private long _lastMessageTimestamp;
    private long _malformed;

    public StatusCollector(string fleet, TimeProvider time)
    {
        _fleet = fleet;
        _time = time;
        _lastMessageTimestamp = time.GetTimestamp();
    }

    /// <summary>Raised for every valid status message, after it was recorded.</summary>
    public event Action<StatusPayload>? StatusReceived;

    public string Filter => $"{TopicScheme.Root}/{_fleet}/+/status";

    public IReadOnlyDictionary<string, StatusPayload> Statuses => _statuses;

    /// <summary>Status messages that were not valid <c>edge.status/1</c> documents.</summary>
    public long Malformed => Interlocked.Read(ref _malformed);

    public async Task StartAsync(BrokerConnection connection, CancellationToken cancellationToken)
    {
        connection.MessageReceived += OnMessageAsync;
        Interlocked.Exchange(ref _lastMessageTimestamp, _time.GetTimestamp());
        await connection.SubscribeAsync(Filter, cancellationToken);
    }

    /// <summary>Waits until no status arrived for <paramref name="quiet"/>, or <paramref name="maximum"/> passed.</summary>
    public async Task WaitForRetainedAsync(TimeSpan quiet, TimeSpan maximum, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        while (_time.GetElapsedTime(started) < maximum)
        {
            var sinceLast = _time.GetElapsedTime(Interlocked.Read(ref _lastMessageTimestamp));
            if (sinceLast >= quiet)
            {
                return;
            }

            await Task.Delay(quiet - sinceLast, _time, cancellationToken);
        }
    }

    /// <summary>Whether the message is a status topic of the followed fleet; handles it if so.</summary>
    public bool Handle(MqttApplicationMessage message)
    {
        var topic = message.Topic;
        if (!topic.EndsWith("/status", StringComparison.Ordinal) || !topic.StartsWith(TopicScheme.Root + "/", StringComparison.Ordinal))
        {
            return false;
        }

        Interlocked.Exchange(ref _lastMessageTimestamp, _time.GetTimestamp());
        if (message.Payload.IsEmpty)
        {
            // An empty retained message clears the retained status: the device was decommissioned.
            return true;
        }

        var payload = message.Payload.IsSingleSegment ? message.Payload.FirstSpan : message.Payload.ToArray();
        if (!StatusParser.TryParse(payload, out var status, out _))
        {
            Interlocked.Increment(ref _malformed);
            return true;
        }

        _statuses[status!.Device] = status;
        StatusReceived?.Invoke(status);
        return true;
    }

    private Task OnMessageAsync(MqttApplicationMessage message)
    {
        Handle(message);
        return Task.CompletedTask;
    }
}
