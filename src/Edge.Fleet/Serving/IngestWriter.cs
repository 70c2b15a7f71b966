using System.Buffers;
using System.Text;
using Edge.Fleet.Connection;
using Edge.Fleet.Inventory;
using Edge.Fleet.Monitoring;
using Microsoft.Extensions.Logging;
using MQTTnet;

namespace Edge.Fleet.Serving;

/// <summary>
/// Stores one batch of received messages: telemetry records (de-duplicated by the agent's device and sequence number,
/// so a redelivered or twice-received batch adds nothing), the last status of each device, and an excerpt of each
/// malformed message. Never throws on device input; a store failure throws, and the caller retries the whole batch.
/// </summary>
internal sealed class IngestWriter
{
    private const int ExcerptBytes = 200;
    private readonly string _fleet;
    private readonly TelemetryStore _telemetry;
    private readonly InventoryStore _inventory;
    private readonly ServeStatistics _statistics;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    public IngestWriter(string fleet, TelemetryStore telemetry, InventoryStore inventory, ServeStatistics statistics, ILogger logger, TimeProvider time)
    {
        _fleet = fleet;
        _telemetry = telemetry;
        _inventory = inventory;
        _statistics = statistics;
        _logger = logger;
        _time = time;
    }

    public async Task StoreAsync(IReadOnlyList<ReceivedMessage> batch, CancellationToken cancellationToken)
    {
        var received = _time.GetUtcNow();
        var records = new Dictionary<(string Device, long Seq), TelemetryRecord>();
        var lastSeen = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var statuses = new Dictionary<string, StatusPayload>(StringComparer.Ordinal);
        var malformed = new List<(MalformedTelemetry Malformed, string Excerpt)>();
        long telemetryMessages = 0;
        long malformedMessages = 0;
        foreach (var message in batch.Select(m => m.Message))
        {
            if (IsFleetTopic(message.Topic, "telemetry"))
            {
                telemetryMessages++;
                var result = TelemetryParser.Parse(message.Topic, message.Payload);
                foreach (var record in result.Records)
                {
                    records.TryAdd((record.Device, record.Seq), record);
                }

                if (result.Device is { } device)
                {
                    lastSeen[device] = received;
                }

                if (result.IsMalformed)
                {
                    malformedMessages++;
                    var excerpt = Excerpt(message);
                    foreach (var error in result.Errors)
                    {
                        _logger.Malformed(message.Topic, error);
                        malformed.Add((new MalformedTelemetry(result.Device, message.Topic, received, error), excerpt));
                    }
                }
            }
            else if (IsFleetTopic(message.Topic, "status") && !message.Payload.IsEmpty)
            {
                // An empty retained status clears it (a decommissioned device): the inventory keeps the last one.
                var payload = message.Payload.IsSingleSegment ? message.Payload.FirstSpan : message.Payload.ToArray();
                if (StatusParser.TryParse(payload, out var status, out var error))
                {
                    statuses[status!.Device] = status; // the last of a batch wins, as it would one by one
                }
                else
                {
                    malformedMessages++;
                    _logger.Malformed(message.Topic, error ?? "not an edge.status/1 document");
                }
            }
        }

        // Telemetry first: a status saved twice is harmless, and the next delivery of an unacknowledged batch redoes all.
        var rows = records.Count == 0 ? 0 : await _telemetry.AddAsync([.. records.Values], received, cancellationToken);
        foreach (var (item, excerpt) in malformed)
        {
            await _telemetry.AddMalformedAsync(item, excerpt, cancellationToken);
        }

        if (statuses.Count > 0)
        {
            await _inventory.SaveStatusesAsync(statuses.Values, received, cancellationToken);
        }

        if (lastSeen.Count > 0)
        {
            await _inventory.TouchAsync(lastSeen, cancellationToken);
        }

        _statistics.AddBatch(telemetryMessages, rows, statuses.Count, malformedMessages);
    }

    /// <summary>Whether <paramref name="topic"/> is <c>edge/{fleet}/{device}/{leaf}</c> of this fleet.</summary>
    private bool IsFleetTopic(string topic, string leaf)
    {
        var levels = topic.Split('/');
        return levels.Length == 4 && levels[0] == TopicScheme.Root && levels[1] == _fleet && levels[2].Length > 0 && levels[3] == leaf;
    }

    private static string Excerpt(MqttApplicationMessage message)
    {
        var payload = message.Payload;
        var bytes = payload.Length > ExcerptBytes ? payload.Slice(0, ExcerptBytes).ToArray() : payload.ToArray();
        return Encoding.UTF8.GetString(bytes);
    }
}
