using Edge.CommandLine;
using Edge.Fleet.Cli;
using Edge.TestUtilities.Mqtt;

namespace Edge.Fleet.Tests.Cli;

[Collection(Edge.Fleet.Tests.Publishing.BrokerSerialGroup.Name)]
public class OtaCommandsTests
{
    [Fact]
    public async Task RunAsync_DeployWithDeviceAndGroup_ExitsTwo()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = await EdgeFleetCli.RunAsync(["deploy", "x.edgepkg", "--fleet", "f1", "--device", "d1", "--group", "g1"], output, error);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("exactly one of --device and --group", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_StatusOfUnknownJob_SaysNoDeviceReportedAndExitsThree()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = await EdgeFleetCli.RunAsync(["status", "nope", "--fleet", "f1", "--broker", $"127.0.0.1:{broker.Port}", "--wait", "0.3"], output, error);

        Assert.Equal(ExitCodes.GoalNotMet, code);
        Assert.Equal("no device has reported on job nope in fleet f1", output.ToString().Trim());
    }
}
