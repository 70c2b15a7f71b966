using System.Security.Cryptography.X509Certificates;
using Edge.Agent.Mqtt;
using Edge.Protocol.Security;
using Edge.TestUtilities;
using Edge.TestUtilities.Security;
using MQTTnet;

namespace Edge.Agent.Tests.Security;

/// <summary>The shipped Mosquitto configs from deploy/mosquitto: the mTLS listener and the per-device ACL.</summary>
public sealed class BrokerSecurityTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private static string DeployFile(string relative) =>
        File.ReadAllText(Path.Combine(TestData.RepositoryRoot, "deploy", "mosquitto", relative));

    private static string AclFile => Path.Combine(TestData.RepositoryRoot, "deploy", "mosquitto", "acl.conf");

    [Fact]
    public async Task MtlsListener_ClientWithoutCertificate_IsRefused_AgentWithCertificateConnects()
    {
        using var pki = new TestCertificates("Edge Test Fleet CA");
        string caPath = "", clientCert = "", clientKey = "";
        await using var broker = await MosquittoBroker.StartAsync(listenerConfig: (port, directory) =>
        {
            caPath = pki.WriteAuthority(Path.Combine(directory, "ca.crt"));
            pki.Issue("localhost", server: true, directory, "server");
            (clientCert, clientKey) = pki.Issue("fleet1/devA", server: false, directory, "devA");
            return DeployFile("conf.d/mtls-listener.conf")
                .Replace("listener 8883", $"listener {port} 127.0.0.1", StringComparison.Ordinal)
                .Replace("/etc/mosquitto/edge/certs/", directory + "/", StringComparison.Ordinal)
                + $"\nacl_file {AclFile}\n";
        });

        using var authority = X509Certificate2.CreateFromPem(File.ReadAllText(caPath));
        MqttClientOptions Options(X509Certificate2? certificate) => new MqttClientOptionsBuilder()
            .WithTcpServer(broker.Host, broker.Port)
            .WithClientId("probe")
            .WithTimeout(TimeSpan.FromSeconds(5))
            .WithTlsOptions(t => t.UseTls().WithTargetHost("127.0.0.1")
                .WithClientCertificates(certificate is null ? [] : [certificate])
                .WithCertificateValidationHandler(a => new PinnedCaValidator(X509CertificateLoader.LoadCertificate(authority.RawData)).Validate(a.Certificate, a.SslPolicyErrors)))
            .Build();

        using var anonymous = new MqttClientFactory().CreateMqttClient();
        await Assert.ThrowsAnyAsync<Exception>(() => anonymous.ConnectAsync(Options(null)));
        Assert.False(anonymous.IsConnected);

        // Control: the same client code with a certificate gets in, so the refusal above is the missing certificate.
        using var withCertificate = X509Certificate2.CreateFromPemFile(clientCert, clientKey);
        using var authenticated = new MqttClientFactory().CreateMqttClient();
        await authenticated.ConnectAsync(Options(withCertificate));
        Assert.True(authenticated.IsConnected);
        await authenticated.DisconnectAsync();

        // The agent itself over mTLS: connecting includes publishing its birth message, which the ACL allows for its CN.
        await using var agent = await AgentHarness.StartAsync("127.0.0.1", broker.Port, "devA", o =>
        {
            o.Mqtt.Tls.Enabled = true;
            o.Mqtt.Tls.CaFile = caPath;
            o.Mqtt.Tls.CertificateFile = clientCert;
            o.Mqtt.Tls.KeyFile = clientKey;
        });
        using var connected = new CancellationTokenSource(Timeout);
        await agent.Get<MqttConnection>().WhenConnectedAsync(connected.Token);
    }

    [Fact]
    public async Task MtlsListener_AgentPinnedToOtherCa_RefusesTheBroker()
    {
        using var pki = new TestCertificates("Edge Test Fleet CA");
        using var otherPki = new TestCertificates("Some Other CA");
        string otherCa = "", clientCert = "", clientKey = "";
        await using var broker = await MosquittoBroker.StartAsync(listenerConfig: (port, directory) =>
        {
            pki.WriteAuthority(Path.Combine(directory, "ca.crt"));
            otherCa = otherPki.WriteAuthority(Path.Combine(directory, "other-ca.crt"));
            pki.Issue("localhost", server: true, directory, "server");
            (clientCert, clientKey) = pki.Issue("fleet1/devA", server: false, directory, "devA");
            return DeployFile("conf.d/mtls-listener.conf")
                .Replace("listener 8883", $"listener {port} 127.0.0.1", StringComparison.Ordinal)
                .Replace("/etc/mosquitto/edge/certs/", directory + "/", StringComparison.Ordinal);
        });

        await using var agent = await AgentHarness.StartAsync("127.0.0.1", broker.Port, "devA", o =>
        {
            o.Mqtt.Tls.Enabled = true;
            o.Mqtt.Tls.CaFile = otherCa;
            o.Mqtt.Tls.CertificateFile = clientCert;
            o.Mqtt.Tls.KeyFile = clientKey;
        });
        await Task.Delay(1500);

        Assert.False(agent.Get<MqttConnection>().IsConnected);
        Assert.Equal(0, agent.Get<MqttConnection>().ConnectionCount);
    }

    [Fact]
    public async Task Acl_DeviceA_CannotReadOrWriteDeviceBTopics()
    {
        await using var broker = await MosquittoBroker.StartAsync(listenerConfig: (port, directory) =>
        {
            var passwords = Path.Combine(directory, "passwd");
            MosquittoPasswords.Add(passwords, "fleet1/devA", "pass-a", create: true);
            MosquittoPasswords.Add(passwords, "fleet1/devB", "pass-b", create: false);
            MosquittoPasswords.Add(passwords, "edge-operator", "pass-op", create: false);
            return DeployFile("conf.d/plain-listener.conf")
                .Replace("listener 1883", $"listener {port} 127.0.0.1", StringComparison.Ordinal)
                .Replace("/etc/mosquitto/edge/passwd", passwords, StringComparison.Ordinal)
                + $"\nallow_anonymous false\nacl_file {AclFile}\n";
        });

        // Device B is the real agent; device A is a plain client using A's credentials.
        await using var agentB = await AgentHarness.StartAsync(broker.Host, broker.Port, "devB", o =>
        {
            o.Mqtt.Username = "fleet1/devB";
            o.Mqtt.Password = "pass-b";
            o.Telemetry.BatchSize = 1;
        });
        using (var connected = new CancellationTokenSource(Timeout))
        {
            await agentB.Get<MqttConnection>().WhenConnectedAsync(connected.Token);
        }

        await using var deviceA = await MqttTestClient.ConnectAsync(broker.Host, broker.Port, "devA", configure: b => b.WithCredentials("fleet1/devA", "pass-a"));
        await using var operatorClient = await MqttTestClient.ConnectAsync(broker.Host, broker.Port, "operator", configure: b => b.WithCredentials("edge-operator", "pass-op"));
        await operatorClient.SubscribeAsync("edge/fleet1/devB/#");
        await deviceA.Client.SubscribeAsync("edge/fleet1/devB/#"); // Mosquitto may grant it; the ACL still filters delivery.
        await deviceA.Client.SubscribeAsync("edge/fleet1/devA/#");

        // B publishes telemetry: the operator sees it, A does not.
        await agentB.Get<Edge.Agent.Storage.SqliteOutbox>().EnqueueAsync("{\"secret\":42}"u8.ToArray(), CancellationToken.None);
        await operatorClient.WaitForAsync(m => m.Topic == "edge/fleet1/devB/telemetry", Timeout, "B's telemetry at the operator");

        // A sends B a command: B never answers it. The operator's identical command is answered (control).
        await deviceA.PublishAsync("edge/fleet1/devB/cmd/ping", "{\"correlationId\":\"from-a\"}");
        await operatorClient.PublishAsync("edge/fleet1/devB/cmd/ping", "{\"correlationId\":\"from-operator\"}");
        await operatorClient.WaitForAsync(m => m.Topic == "edge/fleet1/devB/cmd/response"
            && MqttTestClient.Json(m).GetProperty("correlationId").GetString() == "from-operator", Timeout, "response to the operator's ping");

        // A can still use its own subtree (it writes command responses and reads its command topics), so the silence
        // above is the ACL, not a broken client.
        await deviceA.PublishAsync("edge/fleet1/devA/cmd/response", "{}");
        await deviceA.WaitForAsync(m => m.Topic == "edge/fleet1/devA/cmd/response", Timeout, "A's own message");
        await Task.Delay(500);

        Assert.DoesNotContain(deviceA.Received, m => m.Topic.StartsWith("edge/fleet1/devB/", StringComparison.Ordinal));
        Assert.DoesNotContain(operatorClient.Received, m => m.Topic == "edge/fleet1/devB/cmd/ping" && MqttTestClient.Json(m).GetProperty("correlationId").GetString() == "from-a");
        Assert.DoesNotContain(operatorClient.Received, m => m.Topic == "edge/fleet1/devB/cmd/response"
            && MqttTestClient.Json(m).GetProperty("correlationId").GetString() == "from-a");
    }
}
