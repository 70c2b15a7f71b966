using System.Threading.Channels;

namespace Edge.Agent.Ota.Transfer;

/// <summary>Chunk frames from the MQTT receive loop to the running transfer. Frames arriving while no transfer listens are dropped.</summary>
internal sealed class ChunkInbox
{
    private Channel<byte[]>? _channel;

    /// <summary>Starts listening; frames received earlier are gone (they would be re-requested anyway).</summary>
    public ChannelReader<byte[]> Open()
    {
        var channel = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
        Volatile.Write(ref _channel, channel);
        return channel.Reader;
    }

    public void Close() => Volatile.Write(ref _channel, null);

    public void Post(byte[] frame) => Volatile.Read(ref _channel)?.Writer.TryWrite(frame);
}
