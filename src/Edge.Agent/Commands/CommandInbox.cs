using System.Threading.Channels;
using MQTTnet;

namespace Edge.Agent.Commands;

/// <summary>
/// Bounded queues between the MQTT receive loop and the command worker. Commands run one at a time; up to
/// <see cref="Capacity"/> wait their turn. A request that finds that queue full is not dropped silently: it waits
/// in a second queue of up to <see cref="BusyCapacity"/> small records for a <c>busy</c> answer. Only when both are
/// full is a request dropped, and counted, so the MQTT client never stalls and memory stays bounded.
/// </summary>
internal sealed class CommandInbox
{
    /// <summary>Requests that may wait to run.</summary>
    public const int Capacity = 64;

    /// <summary>Requests that may wait for a <c>busy</c> answer once <see cref="Capacity"/> are waiting to run.</summary>
    public const int BusyCapacity = 1024;

    private readonly Channel<MqttApplicationMessage> _channel = Channel.CreateBounded<MqttApplicationMessage>(
        new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });

    private readonly Channel<BusyRequest> _busy = Channel.CreateBounded<BusyRequest>(
        new BoundedChannelOptions(BusyCapacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });

    private readonly int _maxPayloadBytes;
    private long _dropped;
    private long _refused;

    public CommandInbox(Microsoft.Extensions.Options.IOptions<EdgeAgentOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _maxPayloadBytes = options.Value.Commands.MaxPayloadBytes;
    }

    /// <summary>Requests dropped unanswered because both queues were full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Requests answered <c>busy</c> (or waiting to be) because the command queue was full.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    public ChannelReader<MqttApplicationMessage> Reader => _channel.Reader;

    public ChannelReader<BusyRequest> BusyReader => _busy.Reader;

    public void Post(MqttApplicationMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (_channel.Writer.TryWrite(message))
        {
            return;
        }

        if (_busy.Writer.TryWrite(BusyRequest.From(message, _maxPayloadBytes)))
        {
            Interlocked.Increment(ref _refused);
        }
        else
        {
            Interlocked.Increment(ref _dropped);
        }
    }
}
