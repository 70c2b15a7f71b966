using System.Net;
using MQTTnet.Server;

namespace Edge.TestUtilities.Mqtt;

/// <summary>
/// MQTTnet's in-process broker bound explicitly to 127.0.0.1 on a free port (its default is 0.0.0.0:1883). The
/// per-client pending-message limit is raised from 1000 to 100000, because the default silently drops the oldest
/// messages to a slow subscriber, which would look like lost telemetry. Sessions live in memory only.
/// </summary>
public sealed class EmbeddedMqttBroker : ITestBroker
{
    /// <summary>Pending messages kept per client before the broker drops the oldest.</summary>
    public const int MaxPendingMessagesPerClient = 100_000;

    private MqttServer? _server;

    private EmbeddedMqttBroker(int port) => Port = port;

    /// <inheritdoc />
    public string Kind => "mqttnet";

    /// <inheritdoc />
    public string Host => "127.0.0.1";

    /// <inheritdoc />
    public int Port { get; }

    /// <summary>Starts a broker on a free loopback port.</summary>
    public static async Task<EmbeddedMqttBroker> StartAsync(CancellationToken cancellationToken = default)
    {
        var broker = new EmbeddedMqttBroker(FreePort.Next());
        await broker.StartAgainAsync(cancellationToken);
        return broker;
    }

    /// <inheritdoc />
    public async Task StartAgainAsync(CancellationToken cancellationToken)
    {
        var options = new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
            .WithDefaultEndpointBoundIPV6Address(IPAddress.None)
            .WithDefaultEndpointPort(Port)
            .WithMaxPendingMessagesPerClient(MaxPendingMessagesPerClient)
            .Build();
        _server = new MqttServerFactory().CreateMqttServer(options);
        await _server.StartAsync();
    }

    /// <inheritdoc />
    public async Task KillAsync()
    {
        if (_server is not null)
        {
            await _server.StopAsync();
            _server.Dispose();
            _server = null;
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => new(KillAsync());
}
