using Edge.Agent.Mqtt;
using Edge.TestUtilities;
using MQTTnet;

namespace Edge.Agent.Tests.Security;

/// <summary>
/// Issue 17, case B, against a real Mosquitto running the shipped <c>deploy/mosquitto/acl.conf</c> and plain listener:
/// a device's job topic is read-only for it, an identity without a device part reaches no device, and group jobs are
/// readable only within the device's own fleet. Each refusal has a control showing the same client can do the allowed thing.
/// </summary>
public sealed class BrokerAclTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private static string DeployFile(string relative) => Path.Combine(TestData.RepositoryRoot, "deploy", "mosquitto", relative);

    [Fact]
    public async Task Acl_DeviceOwnJobTopic_IsReadOnlyForTheDevice()
    {
        await using var broker = await StartBrokerAsync();
        await using var device = await MqttTestClient.ConnectAsync(broker.Host, broker.Port, "devA", configure: b => b.WithCredentials("fleet1/devA", "pass-a"));
        await using var operatorClient = await ConnectOperatorAsync(broker);
        await operatorClient.SubscribeAsync("edge/fleet1/devA/ota/job");
        await device.SubscribeAsync("edge/fleet1/devA/ota/job");

        // The downgrade attack of issue 17 starts here: the device publishes a retained job for itself.
        await device.PublishAsync("edge/fleet1/devA/ota/job", "{\"schema\":\"edge.ota-job/1\",\"jobId\":\"self-1\",\"allowDowngrade\":true}", b => b.WithRetainFlag());

        // Control: the operator's job on the same topic reaches the device, so the device reads its job topic.
        await operatorClient.PublishAsync("edge/fleet1/devA/ota/job", "{\"jobId\":\"operator-1\"}", b => b.WithRetainFlag());
        await device.WaitForAsync(m => m.Topic == "edge/fleet1/devA/ota/job" && m.ConvertPayloadToString().Contains("operator-1", StringComparison.Ordinal), Timeout, "the operator's job at the device");
        await Task.Delay(300);

        Assert.DoesNotContain(operatorClient.Received, m => m.ConvertPayloadToString().Contains("self-1", StringComparison.Ordinal));
        Assert.DoesNotContain(device.Received, m => m.ConvertPayloadToString().Contains("self-1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Acl_IdentityWithoutDevicePart_ReadsNoTelemetryAndCannotSendJobsOrCommands()
    {
        await using var broker = await StartBrokerAsync();
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

        await using var fleetOnly = await MqttTestClient.ConnectAsync(broker.Host, broker.Port, "fleet-only", configure: b => b.WithCredentials("fleet1", "pass-f"));
        await using var operatorClient = await ConnectOperatorAsync(broker);
        await fleetOnly.Client.SubscribeAsync("edge/fleet1/#"); // may be granted; the ACL filters every delivery
        await operatorClient.SubscribeAsync("edge/fleet1/devB/#");

        await agentB.Get<Edge.Agent.Storage.SqliteOutbox>().EnqueueAsync("{\"secret\":42}"u8.ToArray(), CancellationToken.None);
        await operatorClient.WaitForAsync(m => m.Topic == "edge/fleet1/devB/telemetry", Timeout, "B's telemetry at the operator");
        await fleetOnly.PublishAsync("edge/fleet1/devB/ota/job", "{\"jobId\":\"from-fleet-only\"}", b => b.WithRetainFlag());
        await fleetOnly.PublishAsync("edge/fleet1/devB/cmd/ping", "{\"correlationId\":\"from-fleet-only\"}");

        // Control: the operator's ping is answered, so B listens and the silence below is the ACL.
        await operatorClient.PublishAsync("edge/fleet1/devB/cmd/ping", "{\"correlationId\":\"from-operator\"}");
        await operatorClient.WaitForAsync(m => m.Topic == "edge/fleet1/devB/cmd/response"
            && MqttTestClient.Json(m).GetProperty("correlationId").GetString() == "from-operator", Timeout, "response to the operator's ping");
        await Task.Delay(500);

        Assert.Empty(fleetOnly.Received);
        Assert.DoesNotContain(operatorClient.Received, m => m.ConvertPayloadToString().Contains("from-fleet-only", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Acl_GroupJobs_ReadableOnlyInTheDevicesOwnFleetAndNeverWritable()
    {
        await using var broker = await StartBrokerAsync();
        await using var operatorClient = await ConnectOperatorAsync(broker);
        await operatorClient.PublishAsync("edge-groups/fleet1/line-3/ota/job", "{\"jobId\":\"fleet1-job\"}", b => b.WithRetainFlag());
        await operatorClient.PublishAsync("edge-groups/fleet2/line-3/ota/job", "{\"jobId\":\"fleet2-job\"}", b => b.WithRetainFlag());
        await operatorClient.SubscribeAsync("edge-groups/#");
        await using var device = await MqttTestClient.ConnectAsync(broker.Host, broker.Port, "devA", configure: b => b.WithCredentials("fleet1/devA", "pass-a"));
        await device.Client.SubscribeAsync("edge-groups/fleet2/line-3/ota/job");
        await device.SubscribeAsync("edge-groups/fleet1/line-3/ota/job");

        await device.WaitForAsync(m => m.Topic == "edge-groups/fleet1/line-3/ota/job", Timeout, "its own fleet's retained group job");
        await device.PublishAsync("edge-groups/fleet1/line-3/ota/job", "{\"jobId\":\"from-device\"}", b => b.WithRetainFlag());
        await Task.Delay(500);

        Assert.DoesNotContain(device.Received, m => m.Topic.StartsWith("edge-groups/fleet2/", StringComparison.Ordinal));
        Assert.DoesNotContain(operatorClient.Received, m => m.ConvertPayloadToString().Contains("from-device", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Acl_CaptureChunks_DeviceReadsRequestsAndAnswersOnItsOwnTopic()
    {
        await using var broker = await StartBrokerAsync();
        var folder = Directory.CreateTempSubdirectory("edge-acl-capture-").FullName;
        await using var agentB = await AgentHarness.StartAsync(broker.Host, broker.Port, "devB", o =>
        {
            o.Mqtt.Username = "fleet1/devB";
            o.Mqtt.Password = "pass-b";
            o.Capture.Directory = Path.Combine(folder, "capture");
        });
        using (var connected = new CancellationTokenSource(Timeout))
        {
            await agentB.Get<MqttConnection>().WhenConnectedAsync(connected.Token);
        }

        await using var operatorClient = await ConnectOperatorAsync(broker);
        await operatorClient.SubscribeAsync("edge/fleet1/devB/#");
        await operatorClient.PublishAsync("edge/fleet1/devB/cmd/capture-snapshot", "{\"correlationId\":\"snap\"}");
        var response = await operatorClient.WaitForAsync(m => m.Topic == "edge/fleet1/devB/cmd/response", Timeout, "the snapshot");
        var snapshot = MqttTestClient.Json(response).GetProperty("result");

        await operatorClient.PublishAsync("edge/fleet1/devB/capture/chunk-request",
            $$"""{"schema":"edge.ota-chunk-request/1","jobId":"{{snapshot.GetProperty("snapshotId").GetString()}}","packageSha256":"{{snapshot.GetProperty("sha256").GetString()}}","chunkSize":4096,"chunks":[0]}""");

        var chunk = await operatorClient.WaitForAsync(m => m.Topic == "edge/fleet1/devB/capture/chunk", Timeout, "the chunk frame");
        Assert.StartsWith("{\"schema\":\"edge.ota-chunk/1\"", chunk.ConvertPayloadToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("\"error\"", chunk.ConvertPayloadToString().Split('\n')[0], StringComparison.Ordinal);
        await agentB.StopAsync();
        Directory.Delete(folder, recursive: true);
    }

    /// <summary>The shipped plain listener and ACL, plus the per-device group block that provisioning appends for fleet1/devA.</summary>
    private static async Task<MosquittoBroker> StartBrokerAsync() =>
        await MosquittoBroker.StartAsync(listenerConfig: (port, directory) =>
        {
            var passwords = Path.Combine(directory, "passwd");
            MosquittoPasswords.Add(passwords, "fleet1/devA", "pass-a", create: true);
            MosquittoPasswords.Add(passwords, "fleet1/devB", "pass-b", create: false);
            MosquittoPasswords.Add(passwords, "fleet1", "pass-f", create: false);
            MosquittoPasswords.Add(passwords, "edge-operator", "pass-op", create: false);
            var acl = Path.Combine(directory, "acl.conf");
            File.WriteAllText(acl, File.ReadAllText(DeployFile("acl.conf")) + "\nuser fleet1/devA\ntopic read edge-groups/fleet1/+/ota/job\n");
            return File.ReadAllText(DeployFile("conf.d/plain-listener.conf"))
                .Replace("listener 1883", $"listener {port} 127.0.0.1", StringComparison.Ordinal)
                .Replace("/etc/mosquitto/edge/passwd", passwords, StringComparison.Ordinal)
                + $"\nallow_anonymous false\nacl_file {acl}\n";
        });

    private static Task<MqttTestClient> ConnectOperatorAsync(MosquittoBroker broker) =>
        MqttTestClient.ConnectAsync(broker.Host, broker.Port, "operator", configure: b => b.WithCredentials("edge-operator", "pass-op"));
}
