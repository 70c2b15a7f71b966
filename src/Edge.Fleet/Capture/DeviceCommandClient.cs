using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Edge.Fleet.Connection;
using Edge.Protocol.Capture;
using MQTTnet;

namespace Edge.Fleet.Capture;

/// <summary>
/// Sends device commands (docs/protocol.md, "Commands") and receives capture chunk frames over one broker
/// connection. A request carries the MQTT 5 response topic and correlation data, and also <c>replyTo</c> and
/// <c>correlationId</c> in its payload (agents on MQTT 3.1.1); the response topic is under the device's own
/// <c>cmd/response/</c>, as the agent requires. Responses and frames are matched on the connection's dispatcher task.
/// </summary>
internal sealed class DeviceCommandClient
{
    private readonly BrokerConnection _connection;
    private readonly string _fleet;
    private readonly TimeProvider _time;
    private readonly string _tag = "capture-" + Guid.NewGuid().ToString("N")[..12];
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonNode>> _pending = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Channel<byte[]>> _chunks = new(StringComparer.Ordinal);
    private long _next;

    private DeviceCommandClient(BrokerConnection connection, string fleet, TimeProvider time)
    {
        _connection = connection;
        _fleet = fleet;
        _time = time;
    }

    /// <summary>Attaches to <paramref name="connection"/> and subscribes to this client's responses and to the fleet's capture chunks.</summary>
    public static async Task<DeviceCommandClient> AttachAsync(BrokerConnection connection, string fleet, TimeProvider time, CancellationToken cancellationToken)
    {
        var client = new DeviceCommandClient(connection, fleet, time);
        connection.MessageReceived += client.OnMessageAsync;
        await connection.SubscribeAsync($"{TopicScheme.Root}/{fleet}/+/cmd/{TopicScheme.ResponseCommandName}/{client._tag}", cancellationToken);
        await connection.SubscribeAsync($"{TopicScheme.Root}/{fleet}/+/capture/chunk", cancellationToken);
        return client;
    }

    /// <summary>Runs <paramref name="command"/> on <paramref name="device"/> and returns its result.</summary>
    /// <exception cref="DeviceSilentException">No answer within <paramref name="timeout"/>: an offline or unknown device.</exception>
    /// <exception cref="CaptureException">The device refused the command.</exception>
    public async Task<JsonNode?> RunAsync(string device, string command, JsonObject? arguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var correlation = $"{_tag}-{Interlocked.Increment(ref _next).ToString(CultureInfo.InvariantCulture)}";
        var responseTopic = $"{TopicScheme.Root}/{_fleet}/{device}/cmd/{TopicScheme.ResponseCommandName}/{_tag}";
        var answer = new TaskCompletionSource<JsonNode>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[correlation] = answer;
        try
        {
            var payload = new JsonObject { ["schema"] = "edge.command/1", ["correlationId"] = correlation, ["replyTo"] = responseTopic, ["args"] = arguments ?? new JsonObject() };
            var builder = new MqttApplicationMessageBuilder()
                .WithTopic($"{TopicScheme.Root}/{_fleet}/{device}/cmd/{command}")
                .WithPayload(Encoding.UTF8.GetBytes(payload.ToJsonString()))
                .WithQualityOfServiceLevel(MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce);
            if (_connection.Client.Options?.ProtocolVersion != MQTTnet.Formatter.MqttProtocolVersion.V311)
            {
                // MQTT 3.1.1 has no properties: there the payload's replyTo and correlationId carry the same.
                builder.WithResponseTopic(responseTopic).WithCorrelationData(Encoding.UTF8.GetBytes(correlation));
            }

            await _connection.PublishAsync(builder.Build(), cancellationToken);
            JsonNode response;
            try
            {
                response = await answer.Task.WaitAsync(timeout, _time, cancellationToken);
            }
            catch (TimeoutException)
            {
                throw new DeviceSilentException(
                    $"device {device} did not answer '{command}' within {timeout.TotalSeconds:0.#} s: it is offline, or no such device exists in fleet {_fleet}.");
            }

            if (response["ok"]?.GetValue<bool>() != true)
            {
                var code = (string?)response["error"]?["code"] ?? "unknown";
                var text = (string?)response["error"]?["message"] ?? "no message";
                throw new CaptureException($"device {device} refused '{command}': {code}: {text}");
            }

            return response["result"];
        }
        finally
        {
            _pending.TryRemove(correlation, out _);
        }
    }

    /// <summary>The capture chunk frames <paramref name="device"/> sends, in arrival order.</summary>
    public ChannelReader<byte[]> Chunks(string device) => ChunkChannel(device).Reader;

    /// <summary>Asks <paramref name="device"/> for chunks of a snapshot.</summary>
    public Task RequestChunksAsync(string device, OtaChunkRequest request, CancellationToken cancellationToken)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(CaptureTopics.ChunkRequest(_fleet, device))
            .WithPayload(JsonSerializer.SerializeToUtf8Bytes(request, OtaJsonContext.Default.OtaChunkRequest))
            .WithQualityOfServiceLevel(MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        return _connection.PublishAsync(message, cancellationToken);
    }

    private Channel<byte[]> ChunkChannel(string device) => _chunks.GetOrAdd(device, _ => Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true }));

    private Task OnMessageAsync(MqttApplicationMessage message)
    {
        var topic = message.Topic;
        var prefix = $"{TopicScheme.Root}/{_fleet}/";
        if (!topic.StartsWith(prefix, StringComparison.Ordinal))
        {
            return Task.CompletedTask;
        }

        var parts = topic[prefix.Length..].Split('/');
        if (parts is [var device, "capture", "chunk"])
        {
            ChunkChannel(device).Writer.TryWrite(message.Payload.ToArray());
        }
        else if (parts.Length == 4 && parts[1] == "cmd" && parts[3] == _tag)
        {
            try
            {
                var response = JsonNode.Parse(message.Payload.ToArray());
                if ((string?)response?["correlationId"] is { } id && _pending.TryGetValue(id, out var waiting))
                {
                    waiting.TrySetResult(response);
                }
            }
            catch (JsonException)
            {
                // Not a response of ours; the request times out if no good answer comes.
            }
        }

        return Task.CompletedTask;
    }
}
