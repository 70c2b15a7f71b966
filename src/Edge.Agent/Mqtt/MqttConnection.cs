using Edge.Agent.Commands;
using Edge.Agent.Hosting;
using Edge.Protocol.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Edge.Agent.Mqtt;

/// <summary>
/// Owns the MQTT client and keeps it connected with its own loop: connect, subscribe, publish the birth message,
/// then check the link with <c>TryPingAsync</c>; after a loss, retry with exponential backoff and jitter. The
/// Disconnected event only wakes the loop; reconnecting from inside it would re-enter the client.
/// </summary>
internal sealed partial class MqttConnection : IAsyncDisposable
{
    private readonly EdgeAgentOptions _options;
    private readonly TopicScheme _topics;
    private readonly StatusMessages _status;
    private readonly CommandInbox _inbox;
    private readonly TimeProvider _time;
    private readonly ILogger<MqttConnection> _logger;
    private readonly IReadOnlyList<IMqttMessageHandler> _handlers;
    private readonly IMqttClient _client;
    private readonly ReconnectBackoff _backoff;
    private readonly AsyncSignal _wake = new();
    private readonly object _stateLock = new();
    private MqttClientOptions? _clientOptions;
    private PinnedCaValidator? _validator;
    private TaskCompletionSource _connected = NewCompletion();

    public MqttConnection(
        IOptions<EdgeAgentOptions> options,
        TopicScheme topics,
        StatusMessages status,
        CommandInbox inbox,
        TimeProvider time,
        ILogger<MqttConnection> logger,
        IEnumerable<IMqttMessageHandler> handlers)
    {
        _handlers = [.. handlers];
        _options = options.Value;
        _topics = topics;
        _status = status;
        _inbox = inbox;
        _time = time;
        _logger = logger;
        _backoff = new ReconnectBackoff(_options.Mqtt.ReconnectMinDelay, _options.Mqtt.ReconnectMaxDelay, Random.Shared);
        ProtocolVersion = MqttProtocol.Parse(_options.Mqtt.ProtocolVersion);
        _client = new MqttClientFactory().CreateMqttClient();
        _client.DisconnectedAsync += OnDisconnectedAsync;
        _client.ApplicationMessageReceivedAsync += OnMessageReceivedAsync;
    }

    public MqttProtocolVersion ProtocolVersion { get; }

    public bool IsConnected => _client.IsConnected;

    /// <summary>Connections made since start; 1 after the first successful connect.</summary>
    public int ConnectionCount { get; private set; }

    /// <summary>Completes when the client is connected, subscribed and has published its birth message.</summary>
    public Task WhenConnectedAsync(CancellationToken cancellationToken)
    {
        lock (_stateLock)
        {
            return _connected.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Runs until cancelled, keeping the connection up.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        _clientOptions = MqttClientOptionsFactory.Create(_options, _status.WillPayload(), _topics, out _validator);
        var attempt = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (!_client.IsConnected)
                {
                    MarkDisconnected();
                    if (await TryConnectAsync(cancellationToken))
                    {
                        attempt = 0;
                        continue;
                    }

                    var delay = _backoff.DelayFor(attempt++);
                    LogRetrying(_logger, attempt, delay.TotalMilliseconds);
                    await Task.Delay(delay, _time, cancellationToken);
                    continue;
                }

                await _wake.WaitAsync(_options.Mqtt.HealthCheckInterval, _time, cancellationToken);
                if (_client.IsConnected && !await _client.TryPingAsync(cancellationToken))
                {
                    LogPingFailed(_logger);
                    await DropConnectionAsync();
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
        }
    }

    /// <summary>Publishes and waits for the broker's acknowledgement (QoS 1); throws when the broker refuses it.</summary>
    public async Task PublishAsync(MqttApplicationMessage message, CancellationToken cancellationToken)
    {
        var result = await _client.PublishAsync(message, cancellationToken);
        if (result.ReasonCode is not (MqttClientPublishReasonCode.Success or MqttClientPublishReasonCode.NoMatchingSubscribers))
        {
            throw new MqttPublishRefusedException(message.Topic, result.ReasonCode.ToString(), result.ReasonString);
        }
    }

    /// <summary>Publishes the retained <c>offline</c> status and disconnects cleanly, so the broker does not send the Will.</summary>
    public async Task DisconnectGracefullyAsync(CancellationToken cancellationToken)
    {
        if (!_client.IsConnected)
        {
            return;
        }

        try
        {
            await PublishAsync(_status.Offline("shutdown"), cancellationToken);
            await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection).Build(), cancellationToken);
        }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException or MqttPublishRefusedException or InvalidOperationException)
        {
            LogShutdownPublishFailed(_logger, e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _client.DisconnectedAsync -= OnDisconnectedAsync;
        _client.ApplicationMessageReceivedAsync -= OnMessageReceivedAsync;
        await DropConnectionAsync();
        _client.Dispose();
        _validator?.Dispose();
    }

    private async Task<bool> TryConnectAsync(CancellationToken cancellationToken)
    {
        try
        {
            var result = await _client.ConnectAsync(_clientOptions!, cancellationToken);
            if (result.ResultCode != MqttClientConnectResultCode.Success)
            {
                LogConnectRefused(_logger, result.ResultCode.ToString(), result.ReasonString is { Length: > 0 } reason ? ": " + reason : string.Empty);
                return false;
            }

            var subscribe = new MqttClientSubscribeOptionsBuilder()
                .WithTopicFilter(f => f
                    .WithTopic(_topics.CommandFilter)
                    .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                    .WithNoLocal(ProtocolVersion == MqttProtocolVersion.V500));
            foreach (var filter in _handlers.SelectMany(h => h.Subscriptions))
            {
                subscribe.WithTopicFilter(f => f.WithTopic(filter).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce));
            }

            var granted = await _client.SubscribeAsync(subscribe.Build(), cancellationToken);
            foreach (var refused in granted.Items.Where(i => i.ResultCode > MqttClientSubscribeResultCode.GrantedQoS2))
            {
                // Not fatal: a device outside every group block of the broker ACL simply gets no group jobs.
                LogSubscriptionRefused(_logger, refused.TopicFilter.Topic, refused.ResultCode.ToString());
            }

            await PublishAsync(_status.Online(), cancellationToken);
            ConnectionCount++;
            LogConnected(_logger, _options.Mqtt.Host, _options.Mqtt.Port, result.IsSessionPresent);
            MarkConnected();
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Any connect failure (socket, TLS, protocol, timeout) means: back off and try again.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogConnectFailed(_logger, _options.Mqtt.Host, _options.Mqtt.Port, e.GetType().Name, e.Message);
            await DropConnectionAsync();
            return false;
        }
    }

    private async Task DropConnectionAsync()
    {
        try
        {
            if (_client.IsConnected)
            {
                await _client.DisconnectAsync(new MqttClientDisconnectOptions(), CancellationToken.None);
            }
        }
#pragma warning disable CA1031 // The link is already broken; failing to close it politely changes nothing.
        catch (Exception)
#pragma warning restore CA1031
        {
        }

        MarkDisconnected();
    }

    private Task OnDisconnectedAsync(MqttClientDisconnectedEventArgs args)
    {
        if (args.ClientWasConnected)
        {
            LogDisconnected(_logger, args.Reason.ToString(), args.Exception is { } error ? $" ({error.GetType().Name}: {error.Message})" : string.Empty);
        }

        MarkDisconnected();
        _wake.Set();
        return Task.CompletedTask;
    }

    private Task OnMessageReceivedAsync(MqttApplicationMessageReceivedEventArgs args)
    {
        foreach (var handler in _handlers)
        {
            if (handler.TryHandle(args.ApplicationMessage))
            {
                return Task.CompletedTask;
            }
        }

        // Commands run on their own worker so a slow handler never stalls the client's receive loop.
        _inbox.Post(args.ApplicationMessage);
        return Task.CompletedTask;
    }

    private void MarkConnected()
    {
        lock (_stateLock)
        {
            _connected.TrySetResult();
        }
    }

    private void MarkDisconnected()
    {
        lock (_stateLock)
        {
            if (_connected.Task.IsCompleted)
            {
                _connected = NewCompletion();
            }
        }
    }

    private static TaskCompletionSource NewCompletion() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    [LoggerMessage(Level = LogLevel.Information, Message = "Connected to MQTT broker {Host}:{Port} (session present: {SessionPresent})")]
    private static partial void LogConnected(ILogger logger, string host, int port, bool sessionPresent);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connecting to MQTT broker {Host}:{Port} failed: {ErrorType}: {Error}")]
    private static partial void LogConnectFailed(ILogger logger, string host, int port, string errorType, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT broker refused the subscription to {Filter} ({ResultCode}); check the broker ACL (deploy/mosquitto/acl.conf)")]
    private static partial void LogSubscriptionRefused(ILogger logger, string filter, string resultCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT broker refused the connection: {ResultCode}{Reason}")]
    private static partial void LogConnectRefused(ILogger logger, string resultCode, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reconnect attempt {Attempt} in {DelayMs:F0} ms")]
    private static partial void LogRetrying(ILogger logger, int attempt, double delayMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Disconnected from MQTT broker: {Reason}{Error}")]
    private static partial void LogDisconnected(ILogger logger, string reason, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT ping failed; dropping the connection to reconnect")]
    private static partial void LogPingFailed(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not publish the offline status at shutdown")]
    private static partial void LogShutdownPublishFailed(ILogger logger, Exception exception);
}
