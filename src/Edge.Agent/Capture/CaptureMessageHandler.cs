using System.Buffers;
using System.Threading.Channels;
using Edge.Agent.Mqtt;
using Edge.Protocol.Capture;
using MQTTnet;

namespace Edge.Agent.Capture;

/// <summary>
/// Receives the fleet's capture chunk requests (<c>edge/{fleet}/{device}/capture/chunk-request</c>) on the agent's
/// connection and queues a copy for <see cref="CaptureChunkServer"/>; when 256 wait, a request is dropped (the fleet asks again after its timeout).
/// </summary>
internal sealed class CaptureMessageHandler : IMqttMessageHandler
{
    private readonly string _topic;
    private readonly Channel<byte[]> _requests = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(256) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });

    public CaptureMessageHandler(TopicScheme topics)
    {
        _topic = CaptureTopics.ChunkRequest(topics.FleetId, topics.DeviceId);
        Subscriptions = [_topic];
    }

    public IReadOnlyList<string> Subscriptions { get; }

    public ChannelReader<byte[]> Requests => _requests.Reader;

    public bool TryHandle(MqttApplicationMessage message)
    {
        if (message.Topic != _topic)
        {
            return false;
        }

        _requests.Writer.TryWrite(message.Payload.ToArray());
        return true;
    }
}
