using System.Globalization;
using Edge.CommandLine;
using Edge.Fleet.Cli;
using Edge.TestUtilities.Mqtt;

namespace Edge.Fleet.Tests.Cli;

public sealed class MonitorCommandTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("edge-fleet-monitor-").FullName;
    private MosquittoBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await MosquittoBroker.StartAsync();

    public async Task DisposeAsync()
    {
        await _broker.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Once_FrameShowsTheBrokerAsItWasWhileMonitoring()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        string[] args = ["monitor", "--once", "--duration", "1s", "--state", Path.Combine(_directory, "state.db"), "--fleet", "f1",
            "--broker", _broker.Host, "--port", _broker.Port.ToString(CultureInfo.InvariantCulture)];

        var code = await EdgeFleetCli.RunAsync(args, output, error);

        Assert.True(code == ExitCodes.Success, error.ToString());
        // The frame used to be rendered after the disconnect and read "broker: reconnecting (attempt 0: )".
        Assert.Contains("broker: connected", output.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("reconnecting", output.ToString(), StringComparison.Ordinal);
    }
}
