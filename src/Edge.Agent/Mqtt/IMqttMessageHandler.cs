using MQTTnet;

namespace Edge.Agent.Mqtt;

/// <summary>
/// A feature that receives its own topics over the agent's one connection (OTA jobs and chunks). The connection
/// subscribes to <see cref="Subscriptions"/> after every connect and offers each message that is not a command to
/// every handler. Handlers must return at once (copy the payload and queue the work): they run on the client's
/// receive loop.
/// </summary>
internal interface IMqttMessageHandler
{
    /// <summary>Topic filters to subscribe to, at QoS 1.</summary>
    IReadOnlyList<string> Subscriptions { get; }

    /// <summary>Takes the message if it is for this handler; returns false otherwise.</summary>
    bool TryHandle(MqttApplicationMessage message);
}
