using System.Security.Cryptography.X509Certificates;
using Edge.Protocol.Security;
using MQTTnet;
using MQTTnet.Formatter;

namespace Edge.Fleet.Connection;

/// <summary>Turns <see cref="BrokerOptions"/> into MQTTnet client options: protocol, session, credentials, pinned-CA TLS and mTLS.</summary>
internal static class BrokerClientOptions
{
    /// <summary>
    /// Socket send and receive buffers. MQTTnet's default of 8 KiB fixes the TCP receive window at about one segment:
    /// while the broker holds a backlog for the connection (serve catching up after a restart, or any burst), every
    /// segment then waits for a window update, and serve's ingest fell from 3,000 to about 50 messages a second with
    /// the process idle (measured with 3,500 simulated devices, bench/README.md "fleet-scale"). 1 MiB lets the kernel
    /// keep the window open; it is kernel memory, not heap.
    /// </summary>
    public const int SocketBufferBytes = 1024 * 1024;

    /// <param name="options">Validated settings.</param>
    /// <param name="clientId">The client id to connect with.</param>
    /// <param name="ca">The pinned CA when <see cref="BrokerOptions.Tls"/> is on (owned by the caller), else null.</param>
    public static MqttClientOptions Build(BrokerOptions options, string clientId, PinnedCaValidator? ca)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(options.Host, options.EffectivePort)
            .WithProtocolVersion(options.ProtocolVersion == "3.1.1" ? MqttProtocolVersion.V311 : MqttProtocolVersion.V500)
            .WithClientId(clientId)
            .WithCleanStart(!options.PersistentSession)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(30))
            .WithTimeout(options.ConnectTimeout);
        if (options.PersistentSession && options.ProtocolVersion != "3.1.1")
        {
            builder.WithSessionExpiryInterval((uint)options.SessionExpiry.TotalSeconds);
        }

        if (!string.IsNullOrEmpty(options.Username))
        {
            builder.WithCredentials(options.Username, options.Password ?? string.Empty);
        }

        if (options.Tls)
        {
            var pinned = ca ?? throw new ArgumentException("TLS needs the pinned CA certificate.", nameof(ca));
            var certificates = new X509Certificate2Collection();
            if (!string.IsNullOrEmpty(options.CertificateFile))
            {
                certificates.Add(X509Certificate2.CreateFromPemFile(options.CertificateFile, options.KeyFile));
            }

            builder.WithTlsOptions(tls => tls
                .UseTls()
                .WithTargetHost(options.Host)
                .WithClientCertificates(certificates)
                .WithCertificateValidationHandler(args => pinned.Validate(args.Certificate, args.SslPolicyErrors)));
        }

        var built = builder.Build();
        if (built.ChannelOptions is MqttClientTcpOptions tcp)
        {
            tcp.BufferSize = SocketBufferBytes;
        }

        return built;
    }
}
