using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Edge.Agent.Tests.Support;

/// <summary>A plain MQTTnet client for tests: records every message it receives and waits for conditions.</summary>
internal sealed class MqttTestClient : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly ConcurrentQueue<MqttApplicationMessage> _received = new();
    private MqttClientOptions? _options;

    private MqttTestClient()
    {
        _client.ApplicationMessageReceivedAsync += e =>
        {
            _received.Enqueue(e.ApplicationMessage);
            return Task.CompletedTask;
        };
    }

    public IMqttClient Client => _client;

    public IReadOnlyCollection<MqttApplicationMessage> Received => _received;

    public static async Task<MqttTestClient> ConnectAsync(
        string host,
        int port,
        string clientId,
        MqttProtocolVersion version = MqttProtocolVersion.V500,
        bool persistentSession = false,
        Action<MqttClientOptionsBuilder>? configure = null)
    {
        var client = new MqttTestClient();
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(host, port)
            .WithClientId(clientId)
            .WithProtocolVersion(version)
            .WithTimeout(TimeSpan.FromSeconds(5));
        if (persistentSession)
        {
            builder.WithCleanStart(false).WithCleanSession(false);
            if (version == MqttProtocolVersion.V500)
            {
                builder.WithSessionExpiryInterval(3600);
            }
        }

        configure?.Invoke(builder);
        client._options = builder.Build();
        await client._client.ConnectAsync(client._options);
        return client;
    }

    /// <summary>Reconnects with the same options until it succeeds or <paramref name="timeout"/> passes.</summary>
    public async Task ReconnectAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            try
            {
                if (!_client.IsConnected)
                {
                    await _client.ConnectAsync(_options!, deadline.Token);
                }

                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                await Task.Delay(50, deadline.Token);
            }
        }
    }

    public async Task SubscribeAsync(string filter)
    {
        var result = await _client.SubscribeAsync(filter, MqttQualityOfServiceLevel.AtLeastOnce);
        var code = result.Items.Single().ResultCode;
        if (code > MqttClientSubscribeResultCode.GrantedQoS2)
        {
            throw new InvalidOperationException($"Subscription to '{filter}' was refused: {code}.");
        }
    }

    public Task PublishAsync(string topic, string payload, Action<MqttApplicationMessageBuilder>? configure = null)
    {
        var builder = new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
        configure?.Invoke(builder);
        return _client.PublishAsync(builder.Build());
    }

    /// <summary>Waits until a received message matches, and returns it.</summary>
    public async Task<MqttApplicationMessage> WaitForAsync(Func<MqttApplicationMessage, bool> match, TimeSpan timeout, string what)
    {
        var started = Stopwatch.StartNew();
        while (started.Elapsed < timeout)
        {
            var found = _received.FirstOrDefault(match);
            if (found is not null)
            {
                return found;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"No message matching {what} within {timeout.TotalSeconds} s; received {_received.Count} on: " +
            string.Join(", ", _received.Select(m => m.Topic).Distinct().Take(10)));
    }

    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, Func<string> describe)
    {
        var started = Stopwatch.StartNew();
        while (!condition())
        {
            if (started.Elapsed > timeout)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds} s: {describe()}");
            }

            await Task.Delay(20);
        }
    }

    public static JsonElement Json(MqttApplicationMessage message) =>
        JsonDocument.Parse(Encoding.UTF8.GetString(message.Payload)).RootElement.Clone();

    public void Clear() => _received.Clear();

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_client.IsConnected)
            {
                await _client.DisconnectAsync();
            }
        }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException)
        {
        }

        _client.Dispose();
    }
}
