using System.Globalization;
using System.Text.RegularExpressions;
using Edge.CommandLine;
using Edge.Fleet.Cli;
using Edge.Fleet.Tests.Simulation;
using Edge.TestUtilities.Mqtt;

namespace Edge.Fleet.Tests.Cli;

/// <summary>The CLI end to end against Mosquitto and simulated devices: devices, groups, deploy, status, rollback.</summary>
[Collection(SimulatedFleetGroup.Name)]
public sealed partial class DeployCommandTests : IAsyncLifetime, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("edge-fleet-deploy-").FullName;
    private readonly TestPackages _packages = new();
    private MosquittoBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await MosquittoBroker.StartAsync();

    public async Task DisposeAsync()
    {
        await _broker.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    public void Dispose() => _packages.Dispose();

    private Task<(int Code, string Output, string Error)> RunAsync(params string[] args) => FleetCliRun.RunAsync(Path.Combine(_directory, "state.db"), _broker, args);

    [Fact]
    public async Task Deploy_SignedPackageToGroup_CompletesThenRollbackRevertsEveryDevice()
    {
        await using var fleet = await SimulatedFleet.StartAsync(_broker.Host, _broker.Port, "f1", 4, new SimulationSettings());
        var v2 = await _packages.BuildAsync("2.0.0");
        var v1 = await _packages.BuildAsync("1.0.0");
        Assert.Equal(ExitCodes.Success, (await RunAsync("devices", "label", "dev-001", "site=lobby")).Code);
        Assert.Equal(ExitCodes.Success, (await RunAsync("groups", "add", "all", "--selector", "model=mnist")).Code);
        // Wait for every device's retained status instead of for a fixed time: a slow machine only waits longer.
        var devices = await RunAsync("devices", "--json");
        for (var attempt = 0; attempt < 60 && Regex.Count(devices.Output, "\"online\": true") < 4; attempt++)
        {
            await Task.Delay(500);
            devices = await RunAsync("devices", "--json");
        }

        Assert.Equal(ExitCodes.Success, devices.Code);
        Assert.Equal(4, Regex.Count(devices.Output, "\"online\": true"));
        Assert.Contains("\"site\": \"lobby\"", devices.Output, StringComparison.Ordinal);

        var dryRun = await RunAsync("deploy", v2, "--group", "all", "--trust", _packages.PublicKeyPath, "--waves", "1,100%", "--dry-run");
        Assert.Equal(ExitCodes.Success, dryRun.Code);
        Assert.Contains("wave 2: 3 devices: dev-002, dev-003, dev-004", dryRun.Output, StringComparison.Ordinal);
        Assert.All(fleet.Devices, d => Assert.Empty(d.Ota.JobsReceived));

        var deploy = await RunAsync("deploy", v2, "--group", "all", "--trust", _packages.PublicKeyPath, "--waves", "1,100%", "--soak", "1s", "--min-kpi-samples", "2");
        Assert.True(deploy.Code == ExitCodes.Success, deploy.Output + deploy.Error);
        var id = DeploymentId().Match(deploy.Output).Groups[1].Value;
        Assert.Contains($"{id}: completed: all 4 devices processed: 4 succeeded", deploy.Output, StringComparison.Ordinal);
        Assert.All(fleet.Devices, d => Assert.Equal("2.0.0", d.Runner.Version));

        var status = await RunAsync("status", id);
        Assert.Contains("wave 2 (3 devices): 3 succeeded", status.Output, StringComparison.Ordinal);
        Assert.Contains("dev-001                  succeeded (from 1.0.0)", status.Output, StringComparison.Ordinal);

        var overlap = await RunAsync("deploy", v2, "--group", "all", "--trust", _packages.PublicKeyPath, "--dry-run");
        Assert.Equal(ExitCodes.Success, overlap.Code); // finished jobs do not block a new deployment

        var rollback = await RunAsync("rollback", id, "--package", v1, "--trust", _packages.PublicKeyPath);
        Assert.True(rollback.Code == ExitCodes.Success, rollback.Output + rollback.Error);
        Assert.Contains($"{id}: 4 of 4 devices reverted", rollback.Output, StringComparison.Ordinal);
        Assert.All(fleet.Devices, d => Assert.Equal("1.0.0", d.Runner.Version));
        Assert.All(fleet.Devices, d => Assert.True(d.Ota.JobsReceived.Last().AllowDowngrade));
    }

    [GeneratedRegex(@"^deployment (dep-[0-9a-f]{8}):", RegexOptions.Multiline)]
    private static partial Regex DeploymentId();
}
