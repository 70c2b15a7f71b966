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

    public StatusMessages(TopicScheme topics, DeviceFacts facts, TimeProvider time, OutboxStatistics outbox, TelemetrySchedule schedule, MqttProtocolVersion version)
    {
        _mqtt5 = version == MqttProtocolVersion.V500;
        _topics = topics;
        _facts = facts;
        _time = time;
        _outbox = outbox;
        _schedule = schedule;
    }

    public DeviceFacts Facts => _facts;

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
        Facts = _facts,
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
