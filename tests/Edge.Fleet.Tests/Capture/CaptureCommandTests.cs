using Edge.Fleet.Tests.Cli;
using Edge.Fleet.Tests.Simulation;
using Edge.TestUtilities.Mqtt;

namespace Edge.Fleet.Tests.Capture;

/// <summary><c>edge-fleet capture</c>'s bad input on a real broker: each is one line and exit 2, and nothing is written.</summary>
[Collection(Edge.Fleet.Tests.Publishing.BrokerSerialGroup.Name)]
public sealed class CaptureCommandTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("edge-capture-cli-").FullName;
    private MosquittoBroker _broker = null!;

    private string State => Path.Combine(_folder, "state.db");

    public async Task InitializeAsync() => _broker = await MosquittoBroker.StartAsync();

    public async Task DisposeAsync()
    {
        await _broker.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Pull_BadOptions_ListsEveryProblemOnOneLine()
    {
        var (code, _, error) = await FleetCliRun.RunAsync(State, _broker, "capture", "pull", "dev-1", "-o", Path.Combine(_folder, "data.txt"), "--chunk-size", "1KiB", "--window", "0");

        Assert.Equal(2, code);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Contains("--chunk-size must be between 4096 and 4194304 bytes; got 1024.", error, StringComparison.Ordinal);
        Assert.Contains("--window must be between 1 and 256; got 0.", error, StringComparison.Ordinal);
        Assert.Contains("--output must name an .npz file; got ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_UnknownOrOfflineDevice_OneLineExitTwo()
    {
        var (code, _, error) = await FleetCliRun.RunAsync(State, _broker, "capture", "status", "ghost", "--timeout", "1s");

        Assert.Equal(2, code);
        Assert.Equal("error: device ghost did not answer 'capture-status' within 1 s: it is offline, or no such device exists in fleet f1.", error.Trim());
    }

    [Fact]
    public async Task Enable_UnknownGroup_OneLineExitTwo()
    {
        var (code, _, error) = await FleetCliRun.RunAsync(State, _broker, "capture", "enable", "group:nope");

        Assert.Equal(2, code);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Contains("nope", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pull_DeviceWithCaptureOff_SaysHowToEnableIt_WritesNothing()
    {
        await using var device = await SimulatedDevice.StartAsync(_broker.Host, _broker.Port, "f1", "dev-off", new SimulationSettings(), CancellationToken.None);
        var output = Path.Combine(_folder, "off.npz");

        var (code, _, error) = await FleetCliRun.RunAsync(State, _broker, "capture", "pull", "dev-off", "-o", output);

        Assert.Equal(2, code);
        Assert.Equal("error: capture is not enabled on device dev-off and it holds no samples; enable it with 'edge-fleet capture enable dev-off'.", error.Trim());
        Assert.False(File.Exists(output));
        Assert.False(Directory.Exists(output + ".partial"));
    }
}
