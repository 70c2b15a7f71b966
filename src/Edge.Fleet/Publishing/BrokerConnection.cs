using MQTTnet;
using MQTTnet.Formatter;

namespace Edge.Fleet.Publishing;

/// <summary>Connects the publisher's MQTT client (MQTT 5, persistent session so chunk requests queued during a blip are not lost).</summary>
public static class BrokerConnection
{
    /// <summary>Parses <c>host[:port]</c> (default port 1883).</summary>
    public static (string Host, int Port) ParseAddress(string address)
    {
        var colon = address.LastIndexOf(':');
        if (colon < 0)
        {
            return (address, 1883);
        }

        return int.TryParse(address.AsSpan(colon + 1), System.Globalization.CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536
            ? (address[..colon], port)
            : throw new ArgumentException($"--broker '{address}' must be host or host:port with a port from 1 to 65535.");
    }

    public static async Task<IMqttClient> ConnectAsync(string address, string clientId, string? user, string? password, CancellationToken cancellationToken)
    {
        var (host, port) = ParseAddress(address);
        var client = new MqttClientFactory().CreateMqttClient();
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(host, port)
            .WithClientId(clientId)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithCleanStart(false)
            .WithSessionExpiryInterval(3600)
            .WithTimeout(TimeSpan.FromSeconds(10));
        if (user is not null)
        {
            builder.WithCredentials(user, password);
        }

        var options = builder.Build();

        // MQTTnet's default 8 KiB socket buffers clamp the TCP window and cap chunk serving at about 2.5 MB/s.
        ((MqttClientTcpOptions)options.ChannelOptions).BufferSize = Connection.BrokerClientOptions.SocketBufferBytes;
        try
        {
            await client.ConnectAsync(options, cancellationToken);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }
}
