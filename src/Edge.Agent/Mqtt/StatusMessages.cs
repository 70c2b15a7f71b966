using System.Text.Json;
using Edge.Agent.Protocol;
using Edge.Agent.Storage;
using Edge.Agent.Telemetry;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Edge.Agent.Mqtt;

/// <summary>Builds the retained status messages: the <c>online</c> birth message and the <c>offline</c> Last Will.</summary>
internal sealed class StatusMessages
{
    private readonly TopicScheme _topics;
    private readonly DeviceFacts _facts;
    private readonly TimeProvider _time;
    private readonly OutboxStatistics _outbox;
    private readonly TelemetrySchedule _schedule;
    private readonly bool _mqtt5;
    private readonly ActiveModel? _served;

    /// <summary>The served model <paramref name="served"/> (OTA's active slot), when given, is listed first in the birth message's models.</summary>
    public StatusMessages(TopicScheme topics, DeviceFacts facts, TimeProvider time, OutboxStatistics outbox, TelemetrySchedule schedule, MqttProtocolVersion version, ActiveModel? served = null)
    {
        _served = served;
        _mqtt5 = version == MqttProtocolVersion.V500;
        _topics = topics;
        _facts = facts;
        _time = time;
        _outbox = outbox;
        _schedule = schedule;
    }

    /// <summary>The Last Will: the broker publishes it (retained) when the agent vanishes without a clean disconnect.</summary>
    public byte[] WillPayload() => Serialize(new StatusPayload
    {
        State = "offline",
        Fleet = _topics.FleetId,
        Device = _topics.DeviceId,
        Reason = "connection-lost",
    });

    public MqttApplicationMessage Online() => Build(new StatusPayload
    {
        State = "online",
        Fleet = _topics.FleetId,
        Device = _topics.DeviceId,
        Timestamp = _time.GetUtcNow(),
        Facts = CurrentFacts(),
        TelemetryIntervalMs = (long)_schedule.Interval.TotalMilliseconds,
        Outbox = _outbox.Snapshot(),
    });

    public MqttApplicationMessage Offline(string reason) => Build(new StatusPayload
    {
        State = "offline",
        Fleet = _topics.FleetId,
        Device = _topics.DeviceId,
        Reason = reason,
        Timestamp = _time.GetUtcNow(),
        Outbox = _outbox.Snapshot(),
    });

    /// <summary>
    /// The facts with the model actually served: OTA's active slot first (it replaces a configured entry of the same
    /// name), then the app's configured models (<c>Device:Models</c>).
    /// </summary>
    private DeviceFacts CurrentFacts()
    {
        var name = _served?.Name;
        if (name is null)
        {
            return _facts;
        }

        ModelFact active = new(name, _served!.Version ?? string.Empty);
        return _facts with { Models = [active, .. _facts.Models.Where(m => m.Name != name)] };
    }

    private MqttApplicationMessage Build(StatusPayload payload)
    {
        var builder = new MqttApplicationMessageBuilder()
            .WithTopic(_topics.Status)
            .WithPayload(Serialize(payload))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag();
        if (_mqtt5)
        {
            // Properties exist only in MQTT 5; MQTTnet refuses them on a 3.1.1 connection.
            builder.WithContentType("application/json");
        }

        return builder.Build();
    }

    private static byte[] Serialize(StatusPayload payload) =>
        JsonSerializer.SerializeToUtf8Bytes(payload, AgentJsonContext.Default.StatusPayload);
}
