using System.Buffers;
using System.Threading.Channels;
using Edge.Agent.Hosting;
using Edge.Agent.Mqtt;
using Edge.Agent.Ota.Transfer;
using Microsoft.Extensions.Options;
using MQTTnet;

namespace Edge.Agent.Ota;

/// <summary>
/// Receives the OTA topics over the agent's connection: job documents (device and group topics) go to the
/// service's intake queue, chunk frames to the running transfer. Payloads are copied, so the receive loop never waits.
/// </summary>
internal sealed class OtaMessageHandler : IMqttMessageHandler
{
    private readonly ChunkInbox _chunks;
    private readonly string _chunkTopic;
    private readonly HashSet<string> _jobTopics;
    private readonly Channel<OtaJobMessage> _jobs = Channel.CreateUnbounded<OtaJobMessage>(new UnboundedChannelOptions { SingleReader = true });

    public OtaMessageHandler(IOptions<EdgeAgentOptions> options, TopicScheme topics, ChunkInbox chunks)
    {
        _chunks = chunks;
        var ota = options.Value.Ota;
        _chunkTopic = OtaTopics.Chunk(topics.FleetId, topics.DeviceId);
        _jobTopics = new HashSet<string>(StringComparer.Ordinal) { OtaTopics.DeviceJob(topics.FleetId, topics.DeviceId) };
        foreach (var group in ota.Groups)
        {
            _jobTopics.Add(OtaTopics.GroupJob(topics.FleetId, group));
        }

        Subscriptions = ota.Enabled ? [.. _jobTopics, _chunkTopic] : [];
    }

    public IReadOnlyList<string> Subscriptions { get; }

    /// <summary>Job documents in arrival order (empty retained payloads are dropped here).</summary>
    public ChannelReader<OtaJobMessage> Jobs => _jobs.Reader;

    public bool TryHandle(MqttApplicationMessage message)
    {
        if (Subscriptions.Count == 0)
        {
            return false;
        }

        if (message.Topic == _chunkTopic)
        {
            _chunks.Post(message.Payload.ToArray());
            return true;
        }

        if (_jobTopics.Contains(message.Topic))
        {
            if (!message.Payload.IsEmpty)
            {
                _jobs.Writer.TryWrite(new OtaJobMessage(message.Payload.ToArray(), message.Retain));
            }

            return true;
        }

        return false;
    }
}
