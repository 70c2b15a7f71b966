using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using Edge.Fleet.Connection;
using Edge.Fleet.Tests.Simulation;
using Edge.Protocol.Security;
using Edge.TestUtilities;
using Edge.TestUtilities.Mqtt;
using Edge.TestUtilities.Security;
using MQTTnet;

namespace Edge.Fleet.Tests.Connection;

/// <summary>edge-fleet against the shipped mTLS listener and ACL (deploy/mosquitto), as an operator would run it.</summary>
public sealed class BrokerConnectionTlsTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task PublishAsync_OperatorCertificateOnMtlsListener_ReachesDeviceTopicsAndGroupJobs()
    {
        using var pki = new TestCertificates("Edge Test Fleet CA");
        string ca = "", operatorCertificate = "", operatorKey = "", deviceCertificate = "", deviceKey = "";
        await using var broker = await MosquittoBroker.StartAsync(listenerConfig: (port, directory) =>
        {
            ca = pki.WriteAuthority(Path.Combine(directory, "ca.crt"));
            pki.Issue("localhost", server: true, directory, "server");
            (operatorCertificate, operatorKey) = pki.Issue("edge-operator", server: false, directory, "operator");
            (deviceCertificate, deviceKey) = pki.Issue("fleet1/devA", server: false, directory, "devA");

            // The shipped ACL plus what provisioning appends for this device (edge-fleet cert check --acl): its fleet's group jobs.
            var acl = Path.Combine(directory, "acl.conf");
            var groupLines = Edge.Fleet.Provisioning.DeviceIdentity.FromCertificateFile(deviceCertificate).AclLines();
            File.WriteAllText(acl, Deploy("acl.conf") + "\n" + string.Join("\n", groupLines) + "\n");
            return Deploy("conf.d/mtls-listener.conf")
                .Replace("listener 8883", $"listener {port} 127.0.0.1", StringComparison.Ordinal)
                .Replace("/etc/mosquitto/edge/certs/", directory + "/", StringComparison.Ordinal)
                + $"\nacl_file {acl}\n";
        });

        // The device, with its own certificate, listens on its command topic and on its group's job.
        using var deviceIdentity = X509Certificate2.CreateFromPemFile(deviceCertificate, deviceKey);
        using var authority = X509Certificate2.CreateFromPem(File.ReadAllText(ca));
        using var device = new MqttClientFactory().CreateMqttClient();
        var received = new ConcurrentQueue<string>();
        device.ApplicationMessageReceivedAsync += e =>
        {
            received.Enqueue(e.ApplicationMessage.Topic);
            return Task.CompletedTask;
        };
        await device.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer(broker.Host, broker.Port)
            .WithClientId("devA")
            .WithTlsOptions(t => t.UseTls().WithTargetHost("localhost").WithClientCertificates([deviceIdentity])
                .WithCertificateValidationHandler(a => new PinnedCaValidator(X509CertificateLoader.LoadCertificate(authority.RawData)).Validate(a.Certificate, a.SslPolicyErrors)))
            .Build());
        await device.SubscribeAsync("edge/fleet1/devA/cmd/#");
        await device.SubscribeAsync("edge-groups/fleet1/lobby/ota/job");

        var options = new BrokerOptions { Host = "localhost", Port = broker.Port, Tls = true, CaFile = ca, CertificateFile = operatorCertificate, KeyFile = operatorKey };
        await using var connection = new BrokerConnection(options, TimeProvider.System, "test");
        await connection.ConnectAsync(CancellationToken.None);

        await connection.PublishAsync(new MqttApplicationMessageBuilder().WithTopic("edge/fleet1/devA/cmd/ping").WithPayload("{}").Build(), CancellationToken.None);
        await connection.PublishAsync(new MqttApplicationMessageBuilder().WithTopic("edge-groups/fleet1/lobby/ota/job").WithPayload("{}").WithRetainFlag().WithQualityOfServiceLevel(MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce).Build(), CancellationToken.None);

        await FleetToolHarness.WaitUntilAsync(() => received.Count == 2, Timeout, () => $"the device got {string.Join(", ", received)}");
        Assert.Contains("edge/fleet1/devA/cmd/ping", received);
        Assert.Contains("edge-groups/fleet1/lobby/ota/job", received);
    }

    [Fact]
    public async Task ConnectAsync_MtlsListenerWithoutClientCertificate_FailsWithBrokerUnreachable()
    {
        using var pki = new TestCertificates("Edge Test Fleet CA");
        var ca = "";
        await using var broker = await MosquittoBroker.StartAsync(listenerConfig: (port, directory) =>
        {
            ca = pki.WriteAuthority(Path.Combine(directory, "ca.crt"));
            pki.Issue("localhost", server: true, directory, "server");
            return Deploy("conf.d/mtls-listener.conf")
                .Replace("listener 8883", $"listener {port} 127.0.0.1", StringComparison.Ordinal)
                .Replace("/etc/mosquitto/edge/certs/", directory + "/", StringComparison.Ordinal);
        });

        var options = new BrokerOptions { Host = "localhost", Port = broker.Port, Tls = true, CaFile = ca, ConnectRetryFor = TimeSpan.FromSeconds(2) };
        await using var connection = new BrokerConnection(options, TimeProvider.System, "test");

        await Assert.ThrowsAsync<BrokerUnreachableException>(() => connection.ConnectAsync(CancellationToken.None));
    }

    private static string Deploy(string relative) =>
        File.ReadAllText(Path.Combine(TestData.RepositoryRoot, "deploy", "mosquitto", relative));
}
