using System.Security.Cryptography.X509Certificates;
using System.Threading.Channels;
using Edge.Protocol.Security;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Packets;
using MQTTnet.Protocol;

namespace Edge.Fleet.Connection;

/// <summary>
/// edge-fleet's MQTT client. <see cref="ConnectAsync"/> retries an unreachable broker with backoff and reports every
/// attempt through <see cref="StatusChanged"/> (the CLI prints it; the monitor shows it), giving up with
/// <see cref="BrokerUnreachableException"/> after <see cref="BrokerOptions.ConnectRetryFor"/>.
/// <see cref="KeepConnectedAsync"/> reconnects later losses and restores subscriptions; MQTTnet v5 has no managed
/// client, and the Disconnected event only wakes that loop. By default the session is clean (state lives in the
/// tool's database; retained status and job messages are re-read on every subscribe); a telemetry recorder sets
/// <see cref="BrokerOptions.PersistentSession"/> so the broker queues what devices send while it is away. Two
/// instances with one client id take the session from each other on every reconnect: give each its own id.
/// Received messages are queued and handed to <see cref="MessageReceived"/> by a dispatcher task, never on MQTTnet's
/// receive loop: that loop also reads the acknowledgements our own publishes wait for, and a fleet's telemetry burst
/// (or a slow handler) must not hold them up. A handler that throws is counted and never stops the others.
/// With <c>acknowledgeAfterStoring</c> (edge-fleet serve) nothing is acknowledged on arrival: messages go to
/// <see cref="Unacknowledged"/> instead of the handlers, and the reader acknowledges each once it is stored, so a
/// crash before that leaves the message in the persistent session for redelivery.
/// </summary>
public sealed class BrokerConnection : IAsyncDisposable
{
    private readonly BrokerOptions _options;
    private readonly TimeProvider _time;
    private readonly IMqttClient _client;
    private readonly List<MqttTopicFilter> _subscriptions = [];
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly Channel<MqttApplicationMessage> _received = Channel.CreateUnbounded<MqttApplicationMessage>();
    private readonly Channel<ReceivedMessage>? _unacknowledged;
    private readonly Task _dispatcher;
    private PinnedCaValidator? _ca;
    private long _handlerErrors;
    private bool _connectedBefore;

    /// <param name="options">Validated broker settings.</param>
    /// <param name="time">Clock for backoff and pings.</param>
    /// <param name="role">The tool's role, part of a generated client id.</param>
    /// <param name="acknowledgeAfterStoring">Hand messages to <see cref="Unacknowledged"/> unacknowledged instead of to <see cref="MessageReceived"/>.</param>
    public BrokerConnection(BrokerOptions options, TimeProvider time, string role, bool acknowledgeAfterStoring = false)
    {
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid broker settings: " + string.Join(" ", errors));
        }

        _options = options;
        _time = time;
        ClientId = options.ClientId ?? $"edge-fleet-{role}-{Guid.NewGuid():N}"[..40];
        _client = new MqttClientFactory().CreateMqttClient();
        _unacknowledged = acknowledgeAfterStoring ? Channel.CreateUnbounded<ReceivedMessage>(new UnboundedChannelOptions { SingleReader = true }) : null;
        _client.ApplicationMessageReceivedAsync += e =>
        {
            if (_unacknowledged is not null)
            {
                // Acknowledged by the reader once stored; a message left unacknowledged is redelivered by the broker.
                e.AutoAcknowledge = false;
                _unacknowledged.Writer.TryWrite(new ReceivedMessage(e));
                return Task.CompletedTask;
            }

            // Stopping: a message that can no longer be handed over is not acknowledged, so the broker keeps it.
            if (!_received.Writer.TryWrite(e.ApplicationMessage))
            {
                e.AutoAcknowledge = false;
            }

            return Task.CompletedTask;
        };
        _client.DisconnectedAsync += _ =>
        {
            Wake();
            return Task.CompletedTask;
        };
        _dispatcher = acknowledgeAfterStoring ? Task.CompletedTask : Task.Run(DispatchAsync);
    }

    /// <summary>
    /// Handles every received message (on the dispatcher task). Messages that arrive while no handler is attached are
    /// dropped, so with a <see cref="BrokerOptions.PersistentSession"/> attach handlers and subscribe (both work before
    /// connecting) before <see cref="ConnectAsync"/>: the broker sends the queued messages right after CONNACK.
    /// </summary>
    public event Func<MqttApplicationMessage, Task>? MessageReceived;

    /// <summary>
    /// Received messages not yet acknowledged, in arrival order, when made with <c>acknowledgeAfterStoring</c>. The
    /// channel completes after <see cref="StopReceivingAsync"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The connection acknowledges on arrival.</exception>
    public ChannelReader<ReceivedMessage> Unacknowledged =>
        _unacknowledged?.Reader ?? throw new InvalidOperationException("This connection acknowledges messages on arrival; make it with acknowledgeAfterStoring: true.");

    /// <summary>A line describing each connection change or failed attempt, for people watching.</summary>
    public event Action<string>? StatusChanged;

    public string ClientId { get; }

    /// <summary>The underlying client, for components that subscribe on their own (the OTA chunk server).</summary>
    public IMqttClient Client => _client;

    public bool IsConnected => _client.IsConnected;

    public string Endpoint => $"{_options.Host}:{_options.EffectivePort}";

    /// <summary>Exceptions thrown by <see cref="MessageReceived"/> handlers (each is contained).</summary>
    public long HandlerErrors => Interlocked.Read(ref _handlerErrors);

    /// <summary>Messages received but not yet handed to the handlers (a multi-reader channel, which can count).</summary>
    public int QueuedMessages => _received.Reader.Count;

    /// <summary>Failed attempts since the last successful connect.</summary>
    public int FailedAttempts { get; private set; }

    public string? LastError { get; private set; }

    /// <summary>Connects, retrying with backoff (0.25 s doubling to 5 s) until <see cref="BrokerOptions.ConnectRetryFor"/> has passed.</summary>
    /// <exception cref="BrokerUnreachableException">Every attempt failed.</exception>
    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        var delay = TimeSpan.FromMilliseconds(250);
        while (true)
        {
            if (await TryConnectOnceAsync(cancellationToken))
            {
                return;
            }

            if (_time.GetElapsedTime(started) + delay > _options.ConnectRetryFor)
            {
                throw new BrokerUnreachableException(
                    $"The MQTT broker {Endpoint} is unreachable: {FailedAttempts} attempts over {_time.GetElapsedTime(started).TotalSeconds:F0} s failed; last error: {LastError}. Check --broker/--port/--tls, or raise --connect-retry.");
            }

            StatusChanged?.Invoke($"broker {Endpoint} unreachable (attempt {FailedAttempts}: {LastError}); retrying in {delay.TotalSeconds:F1} s");
            await Task.Delay(delay, _time, cancellationToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
        }
    }

    /// <summary>Subscribes at QoS 1 and remembers the filter, so it is restored after a reconnect.</summary>
    public async Task SubscribeAsync(string filter, CancellationToken cancellationToken)
    {
        var topicFilter = new MqttTopicFilterBuilder().WithTopic(filter).WithAtLeastOnceQoS().Build();
        lock (_subscriptions)
        {
            _subscriptions.Add(topicFilter);
        }

        await SubscribeFiltersAsync([topicFilter], cancellationToken);
    }

    /// <summary>Publishes at QoS 1 and waits for the broker's acknowledgement.</summary>
    public async Task PublishAsync(MqttApplicationMessage message, CancellationToken cancellationToken)
    {
        // Force a yield: the acknowledgement completes on MQTTnet's receive loop, and the caller's continuation
        // (a wave engine tick with database work) must not run there.
        var result = await _client.PublishAsync(message, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
        if (result.ReasonCode is not (MqttClientPublishReasonCode.Success or MqttClientPublishReasonCode.NoMatchingSubscribers))
        {
            throw new FleetException($"The broker refused the publish to '{message.Topic}': {result.ReasonCode} {result.ReasonString}.");
        }
    }

    /// <summary>Runs until cancelled: pings every 2 s and reconnects (with the same backoff) after a loss.</summary>
    public async Task KeepConnectedAsync(CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(250);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (!_client.IsConnected)
                {
                    if (await TryConnectOnceAsync(cancellationToken))
                    {
                        delay = TimeSpan.FromMilliseconds(250);
                        continue;
                    }

                    StatusChanged?.Invoke($"broker {Endpoint} lost (attempt {FailedAttempts}: {LastError}); retrying in {delay.TotalSeconds:F1} s");
                    await Task.Delay(delay, _time, cancellationToken);
                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
                    continue;
                }

                await _wake.WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
                if (_client.IsConnected && !await _client.TryPingAsync(cancellationToken))
                {
                    // One late answer on a busy machine is not a dead link; two in a row are.
                    if (!await _client.TryPingAsync(cancellationToken))
                    {
                        await DisconnectQuietlyAsync();
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
        }
    }

    /// <summary>
    /// Disconnects and hands every message already received (and acknowledged to the broker) to the handlers, so a
    /// caller can store them before it exits; nothing acknowledged is left in memory. Idempotent.
    /// </summary>
    public async Task StopReceivingAsync()
    {
        await DisconnectQuietlyAsync();
        _received.Writer.TryComplete();
        _unacknowledged?.Writer.TryComplete();
        await _dispatcher;
    }

    public async ValueTask DisposeAsync()
    {
        await StopReceivingAsync();
        _client.Dispose();
        _ca?.Dispose();
        _wake.Dispose();
    }

    private void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled.
        }
    }

    private async Task DispatchAsync()
    {
        await foreach (var message in _received.Reader.ReadAllAsync())
        {
            if (MessageReceived is not { } handlers)
            {
                continue;
            }

            foreach (var handler in handlers.GetInvocationList().Cast<Func<MqttApplicationMessage, Task>>())
            {
                try
                {
                    await handler(message);
                }
#pragma warning disable CA1031 // A handler's bug (or a device's strange payload) must not stop the others or the stream.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    Interlocked.Increment(ref _handlerErrors);
                    StatusChanged?.Invoke($"a handler failed on '{message.Topic}': {e.GetType().Name}: {e.Message}");
                }
            }
        }
    }

    private async Task<bool> TryConnectOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attempt.CancelAfter(_options.ConnectTimeout);
            var result = await _client.ConnectAsync(BuildClientOptions(), attempt.Token);
            if (result.ResultCode != MqttClientConnectResultCode.Success)
            {
                Fail($"refused: {result.ResultCode} {result.ReasonString}");
                return false;
            }

            MqttTopicFilter[] filters;
            lock (_subscriptions)
            {
                filters = [.. _subscriptions];
            }

            // On a reconnect to a session the broker kept, the subscriptions (and the messages queued for them) are
            // still there; subscribing again is not needed, and on Mosquitto 2.0.11 re-subscribing a session restored
            // from persistence once left it without live messages (TelemetryBrokerRestartTests). The first connect of
            // a run always subscribes: the filters may differ from the last run's.
            if (!(_options.PersistentSession && result.IsSessionPresent && _connectedBefore))
            {
                await SubscribeFiltersAsync(filters, cancellationToken);
            }
            else if (filters.Where(f => f.Topic.StartsWith("$share/", StringComparison.Ordinal)).ToArray() is { Length: > 0 } shared)
            {
                // Mosquitto 2.0.11 restores a persisted session without its shared subscriptions: after a broker
                // restart the session is present but no telemetry arrives (ServeBrokerRestartTests). Subscribing a
                // shared filter again is harmless where the broker kept it.
                await SubscribeFiltersAsync(shared, cancellationToken);
            }

            _connectedBefore = true;
            if (FailedAttempts > 0)
            {
                StatusChanged?.Invoke($"broker {Endpoint} connected after {FailedAttempts} failed attempts");
            }

            FailedAttempts = 0;
            LastError = null;
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Any failure to connect (socket, TLS, timeout, protocol) means: report, back off, retry.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Fail(e is OperationCanceledException ? $"no answer within {_options.ConnectTimeout.TotalSeconds:F0} s" : e.GetBaseException().Message);
            await DisconnectQuietlyAsync();
            return false;
        }
    }

    private void Fail(string error)
    {
        FailedAttempts++;
        LastError = error;
    }

    private async Task SubscribeFiltersAsync(MqttTopicFilter[] filters, CancellationToken cancellationToken)
    {
        if (filters.Length == 0 || !_client.IsConnected)
        {
            return;
        }

        var builder = new MqttClientSubscribeOptionsBuilder();
        foreach (var filter in filters)
        {
            builder.WithTopicFilter(filter);
        }

        var result = await _client.SubscribeAsync(builder.Build(), cancellationToken);
        foreach (var item in result.Items)
        {
            if (item.ResultCode > MqttClientSubscribeResultCode.GrantedQoS2)
            {
                throw new FleetException($"The broker refused the subscription to '{item.TopicFilter.Topic}': {item.ResultCode}. Check the ACL of user '{_options.Username ?? "(anonymous)"}'.");
            }
        }
    }

    private MqttClientOptions BuildClientOptions()
    {
        if (_options.Tls)
        {
            _ca ??= PinnedCaValidator.FromPemFile(_options.CaFile!);
        }

        return BrokerClientOptions.Build(_options, ClientId, _ca);
    }

    private async Task DisconnectQuietlyAsync()
    {
        try
        {
            if (_client.IsConnected)
            {
                // MQTT 5 lets DISCONNECT override the session expiry; state it, so a persistent session outlives the tool.
                var expiry = _options.PersistentSession ? (uint)_options.SessionExpiry.TotalSeconds : 0;
                await _client.DisconnectAsync(new MqttClientDisconnectOptions { SessionExpiryInterval = expiry }, CancellationToken.None);
            }
        }
#pragma warning disable CA1031 // The link is going away anyway; a failed polite close changes nothing.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }
}
