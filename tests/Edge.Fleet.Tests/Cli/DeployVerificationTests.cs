using System.Globalization;
using System.Text;
using Edge.CommandLine;
using Edge.Fleet.Cli;
using Edge.Fleet.Tests.Simulation;
using Edge.TestUtilities;
using Edge.TestUtilities.Mqtt;
using MQTTnet;
using MQTTnet.Protocol;

namespace Edge.Fleet.Tests.Cli;

/// <summary>
/// Issue 17, case C: <c>deploy --device</c> and <c>--ota-group</c> verify the package when <c>--trust</c> is given (a
/// flipped signature byte or model byte is refused, exit 2, nothing published) and say so when it is not.
/// </summary>
[Collection(SimulatedFleetGroup.Name)]
public sealed class DeployVerificationTests : IAsyncLifetime, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("edge-fleet-verify-").FullName;
    private readonly TestPackages _packages = new();
    private MosquittoBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await MosquittoBroker.StartAsync();

    public async Task DisposeAsync()
    {
        await _broker.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    public void Dispose() => _packages.Dispose();

    [Theory]
    [InlineData("signature", "--device", "d1")]
    [InlineData("model", "--device", "d1")]
    [InlineData("signature", "--ota-group", "line-3")]
    [InlineData("model", "--ota-group", "line-3")]
    public async Task Deploy_TamperedPackageWithTrust_ExitsTwoAndPublishesNothing(string tamper, string target, string name)
    {
        var package = await _packages.BuildAsync("2.0.0");
        var tampered = tamper == "signature" ? FlipSignature(package) : FlipModelByte(package);
        await using var jobs = await RetainedJobsAsync();

        var (code, output, error) = await RunAsync("deploy", tampered, target, name, "--trust", _packages.PublicKeyPath, "--serve-for", "0");

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.Contains(tamper == "signature" ? "signature" : "model/mnist.onnx", error, StringComparison.Ordinal);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain("published", output, StringComparison.Ordinal);
        await Task.Delay(500);
        Assert.Empty(jobs.Received);
    }

    [Fact]
    public async Task Deploy_GroupTopicWithoutTrust_WarnsOnceThenPublishesSignedJob()
    {
        var package = await _packages.BuildAsync("2.0.0");
        await using var jobs = await RetainedJobsAsync();

        var (code, output, error) = await RunAsync("deploy", package, "--ota-group", "line-3", "--serve-for", "0");

        Assert.True(code == ExitCodes.Success, output + error);
        Assert.Single(error.Split('\n'), l => l.Contains("published without verification (no --trust KEY.pem)", StringComparison.Ordinal));
        await FleetToolHarness.WaitUntilAsync(() => !jobs.Received.IsEmpty, TimeSpan.FromSeconds(10), () => "no retained job");
        Assert.Contains("\"schema\":\"edge.ota-signed-job/1\"", jobs.Received.Single(), StringComparison.Ordinal);
    }

    private static string FlipSignature(string package)
    {
        var bytes = File.ReadAllBytes(package);
        var at = IndexOf(bytes, Encoding.ASCII.GetBytes("\"value\": \"")) + 12;
        bytes[at] = (byte)(bytes[at] == (byte)'A' ? 'B' : 'A');
        return Save(package, "sig", bytes);
    }

    private static string FlipModelByte(string package)
    {
        var bytes = File.ReadAllBytes(package);
        var model = File.ReadAllBytes(TestData.File("models/mnist/mnist.onnx"));
        var at = IndexOf(bytes, model.AsSpan(1000, 64)) + 32;
        bytes[at] ^= 0x01;
        return Save(package, "model", bytes);
    }

    private static int IndexOf(byte[] haystack, ReadOnlySpan<byte> needle)
    {
        var at = haystack.AsSpan().IndexOf(needle);
        Assert.True(at >= 0, "the bytes to flip were not found in the package");
        return at;
    }

    private static string Save(string package, string suffix, byte[] bytes)
    {
        var path = Path.ChangeExtension(package, $".{suffix}.edgepkg");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private Task<(int Code, string Output, string Error)> RunAsync(params string[] args) => FleetCliRun.RunAsync(Path.Combine(_directory, "state.db"), _broker, args);

    /// <summary>A client that collects every (retained or live) job document of fleet f1, on device and group topics.</summary>
    private async Task<JobCollector> RetainedJobsAsync()
    {
        var collector = new JobCollector();
        var client = new MqttClientFactory().CreateMqttClient();
        client.ApplicationMessageReceivedAsync += e =>
        {
            if (!e.ApplicationMessage.Payload.IsEmpty)
            {
                collector.Received.Enqueue(Encoding.UTF8.GetString(e.ApplicationMessage.Payload));
            }

            return Task.CompletedTask;
        };
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer(_broker.Host, _broker.Port).Build());
        await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter("edge/f1/+/ota/job", MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter("edge-groups/f1/+/ota/job", MqttQualityOfServiceLevel.AtLeastOnce)
            .Build());
        collector.Client = client;
        return collector;
    }

    private sealed class JobCollector : IAsyncDisposable
    {
        public System.Collections.Concurrent.ConcurrentQueue<string> Received { get; } = new();

        public IMqttClient? Client { get; set; }

        public async ValueTask DisposeAsync()
        {
            if (Client is { IsConnected: true })
            {
                await Client.DisconnectAsync();
            }

            Client?.Dispose();
        }
    }
}
