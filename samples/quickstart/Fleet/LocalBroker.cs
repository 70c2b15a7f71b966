using System.Net;
using System.Net.Sockets;
using MQTTnet.Server;

namespace Edge.Quickstart.Fleet;

/// <summary>
/// Step 1: MQTTnet's broker inside this process, bound to 127.0.0.1 on a free port (its default is every interface
/// on 1883), with the per-client pending-message limit raised so a slow subscriber never silently loses telemetry.
/// Retained messages (device status, OTA jobs) live in memory for the run.
/// </summary>
internal sealed class LocalBroker : IAsyncDisposable
{
    private readonly MqttServer _server;

    private LocalBroker(MqttServer server, int port)
    {
        _server = server;
        Port = port;
    }

    public int Port { get; }

    public string Address => $"127.0.0.1:{Port}";

    public static async Task<LocalBroker> StartAsync()
    {
        var port = FreePort();
        var options = new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
            .WithDefaultEndpointBoundIPV6Address(IPAddress.None)
            .WithDefaultEndpointPort(port)
            .WithMaxPendingMessagesPerClient(100_000)
            .Build();
        var server = new MqttServerFactory().CreateMqttServer(options);
        try
        {
            await server.StartAsync();
            return new LocalBroker(server, port);
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _server.StopAsync();
        _server.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
