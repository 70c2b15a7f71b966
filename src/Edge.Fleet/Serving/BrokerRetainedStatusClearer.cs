using Edge.Fleet.Connection;
using Edge.Fleet.Dashboard;
using Edge.Protocol.Ota;
using MQTTnet;
using MQTTnet.Protocol;

namespace Edge.Fleet.Serving;

/// <summary>
/// The dashboard's forget inside <c>serve</c>: clears the device's retained status and OTA state on the broker, as
/// <c>edge-fleet devices forget</c> does, over a short connection of its own per call (forgetting is rare, and the
/// ingest connection's session stays untouched).
/// </summary>
internal sealed class BrokerRetainedStatusClearer : IRetainedStatusClearer
{
    private readonly BrokerOptions _broker;
    private readonly string _fleet;
    private readonly TimeProvider _time;

    /// <param name="broker">The instance's broker settings; copied, with a client id of its own and a short connect retry.</param>
    /// <param name="fleet">The fleet whose topics hold the device's retained messages.</param>
    /// <param name="instance">The serve instance, for the client id.</param>
    /// <param name="time">For the connection's retries.</param>
    public BrokerRetainedStatusClearer(BrokerOptions broker, string fleet, string instance, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(broker);
        _fleet = fleet;
        _time = time;
        _broker = broker.ForClient($"edge-fleet-dashboard-{fleet}-{instance}");
        _broker.ConnectRetryFor = TimeSpan.FromSeconds(5);
    }

    public string Description => $"broker {_broker.Host}:{_broker.EffectivePort}";

    public async Task ClearAsync(string device, CancellationToken cancellationToken)
    {
        if (!TopicScheme.IsSingleLevel(device))
        {
            throw new ArgumentException($"Device id '{device}' must be one topic level without '/', '+' or '#'.", nameof(device));
        }

        await using var connection = new BrokerConnection(_broker, _time, "dashboard-forget");
        await connection.ConnectAsync(cancellationToken);

        // An empty retained message deletes the retained one (MQTT 3.1.1 and 5).
        foreach (var topic in new[] { new TopicScheme(_fleet, device).Status, OtaTopics.State(_fleet, device) })
        {
            await connection.PublishAsync(
                new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload([]).WithRetainFlag().WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(),
                cancellationToken);
        }
    }
}
