using System.Security.Cryptography.X509Certificates;
using Edge.Protocol.Security;
using MQTTnet;
using MQTTnet.Formatter;

namespace Edge.Fleet.Connection;

/// <summary>Turns <see cref="BrokerOptions"/> into MQTTnet client options: protocol, session, credentials, pinned-CA TLS and mTLS.</summary>
internal static class BrokerClientOptions
{
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

        return builder.Build();
    }
}
