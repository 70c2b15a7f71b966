using System.Threading.Channels;
using MQTTnet;

namespace Edge.Agent.Commands;

/// <summary>
/// Bounded queue between the MQTT receive loop and the command worker. When a flood fills it, further requests
/// are dropped and counted rather than stalling the MQTT client.
/// </summary>
internal sealed class CommandInbox
{
    public const int Capacity = 64;

    private readonly Channel<MqttApplicationMessage> _channel = Channel.CreateBounded<MqttApplicationMessage>(
        new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });

    private long _dropped;

    public long Dropped => Interlocked.Read(ref _dropped);

    public ChannelReader<MqttApplicationMessage> Reader => _channel.Reader;

    public void Post(MqttApplicationMessage message)
    {
        if (!_channel.Writer.TryWrite(message))
        {
            Interlocked.Increment(ref _dropped);
        }
    }
}
