using System.Globalization;
using System.Text.RegularExpressions;
using Edge.CommandLine;
using Edge.Fleet.Cli;
using Edge.Fleet.Tests.Simulation;
using Edge.TestUtilities.Mqtt;

namespace Edge.Fleet.Tests.Cli;

/// <summary><c>devices forget</c> against Mosquitto and real in-process agents.</summary>
[Collection(SimulatedFleetGroup.Name)]
public sealed partial class ForgetDeviceCommandTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("edge-fleet-forget-").FullName;
    private MosquittoBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await MosquittoBroker.StartAsync();

    public async Task DisposeAsync()
    {
        await _broker.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Forget_RefusesAnOnlineDevice_ThenRemovesAStoppedOneForGood()
    {
        var fleet = await SimulatedFleet.StartAsync(_broker.Host, _broker.Port, "f1", 2, new SimulationSettings());
        await using (fleet)
        {
            // The agents connect in the background after their hosts start: wait for both retained statuses, however
            // long a loaded machine takes, instead of assuming they arrive within the command's quiet period.
            await WaitForOnlineAsync(2);
            Assert.Equal(ExitCodes.Success, (await RunAsync("devices", "label", "dev-001", "site=lobby")).Code);

            var refused = await RunAsync("devices", "forget", "dev-001");

            Assert.Equal(ExitCodes.BadInput, refused.Code);
            Assert.Contains("Device 'dev-001' is online; stop its agent first", refused.Error, StringComparison.Ordinal);
        }

        // Both agents stopped cleanly: their retained status says offline (shutdown), and the inventory still lists them.
        Assert.Contains("\"device\": \"dev-001\"", (await RunAsync("devices", "--json")).Output, StringComparison.Ordinal);

        var forgot = await RunAsync("devices", "forget", "dev-001");

        Assert.True(forgot.Code == ExitCodes.Success, forgot.Error);
        var after = (await RunAsync("devices", "--json")).Output;
        Assert.DoesNotContain("\"device\": \"dev-001\"", after, StringComparison.Ordinal);
        Assert.Contains("\"device\": \"dev-002\"", after, StringComparison.Ordinal);
        var again = await RunAsync("devices", "forget", "dev-001");
        Assert.Equal(ExitCodes.BadInput, again.Code);
        Assert.Contains("Device 'dev-001' is not in fleet 'f1'", again.Error, StringComparison.Ordinal);
    }

    private static int OnlineCount(string json) => OnlinePattern().Count(json);

    private async Task WaitForOnlineAsync(int devices)
    {
        var started = TimeProvider.System.GetTimestamp();
        int online;
        while ((online = OnlineCount((await RunAsync("devices", "--json")).Output)) != devices)
        {
            if (TimeProvider.System.GetElapsedTime(started) > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException($"{online} of {devices} devices online after 30 s");
            }
        }
    }

    [GeneratedRegex("\"online\": true")]
    private static partial Regex OnlinePattern();

    private async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        string[] common = ["--state", Path.Combine(_directory, "state.db"), "--fleet", "f1", "--broker", _broker.Host, "--port", _broker.Port.ToString(CultureInfo.InvariantCulture)];
        var code = await EdgeFleetCli.RunAsync([.. args, .. common], output, error);
        return (code, output.ToString(), error.ToString());
    }
}
