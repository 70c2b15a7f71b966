using System.Globalization;
using System.Text.RegularExpressions;
using Edge.CommandLine;
using Edge.Fleet.Cli;
using Edge.Fleet.Tests.Simulation;
using Edge.Protocol.Ota;
using Edge.TestUtilities.Mqtt;

namespace Edge.Fleet.Tests.Cli;

/// <summary><c>deploy --shadow</c> end to end against Mosquitto and simulated devices: plan, jobs, outcome and <c>status</c>.</summary>
[Collection(SimulatedFleetGroup.Name)]
public sealed partial class DeployShadowCommandTests : IAsyncLifetime, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("edge-fleet-deploy-shadow-").FullName;
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

    /// <summary>A group of every simulated device, once each has its retained status online.</summary>
    private async Task AddGroupAsync(int devices)
    {
        Assert.Equal(ExitCodes.Success, (await RunAsync("groups", "add", "all", "--selector", "model=mnist")).Code);
        var online = 0;
        for (var attempt = 0; attempt < 60 && online < devices; attempt++)
        {
            online = Regex.Count((await RunAsync("devices", "--json")).Output, "\"online\": true");
        }

        Assert.Equal(devices, online);
    }

    private Task<(int Code, string Output, string Error)> DeployAsync(string package, params string[] args) => RunAsync(
        ["deploy", package, "--group", "all", "--trust", _packages.PublicKeyPath, "--soak", "0s", "--abort-latency-p95-regression", "off", "--abort-error-rate", "off", .. args]);

    [Fact]
    public async Task Deploy_WithShadow_PlansItSendsItInEveryJobAndStatusShowsTheFigures()
    {
        await using var fleet = await SimulatedFleet.StartAsync(_broker.Host, _broker.Port, "f1", 3, new SimulationSettings());
        var v2 = await _packages.BuildAsync("2.0.0");
        await AddGroupAsync(3);
        string[] shadow = ["--waves", "1,100%", "--shadow", "20%", "--min-agreement", "0.95", "--shadow-samples", "100", "--shadow-max-latency-ratio", "2", "--shadow-timeout", "10m"];

        var dryRun = await DeployAsync(v2, [.. shadow, "--dry-run"]);
        Assert.True(dryRun.Code == ExitCodes.Success, dryRun.Output + dryRun.Error);
        Assert.Contains("; pooled shadow agreement of a wave < 0.95", dryRun.Output, StringComparison.Ordinal);
        Assert.Contains("shadow: 20% of live calls on each device; a device promotes after 100 samples with agreement ≥ 0.95 and candidate p95 ≤ 2× served", dryRun.Output, StringComparison.Ordinal);
        Assert.All(fleet.Devices, d => Assert.Empty(d.Ota.JobsReceived));

        var deploy = await DeployAsync(v2, shadow);

        Assert.True(deploy.Code == ExitCodes.Success, deploy.Output + deploy.Error);
        var expected = new OtaShadowRequest { SampleFraction = 0.2, MinSamples = 100, MinAgreement = 0.95, MaxLatencyRatio = 2, TimeoutSeconds = 600 };
        Assert.All(fleet.Devices, d => Assert.Equal(expected, Assert.Single(d.Ota.JobsReceived).Shadow));
        Assert.All(fleet.Devices, d => Assert.Equal("2.0.0", d.Runner.Version));
        var id = DeploymentId().Match(deploy.Output).Groups[1].Value;
        var status = await RunAsync("status", id);
        Assert.Contains("wave 2 (2 devices): 2 succeeded; shadow agreement 1.000 (200/200)", status.Output, StringComparison.Ordinal);
        Assert.Contains("dev-001                  succeeded shadow 1.000 (100/100), p95 1.10× (from 1.0.0)", status.Output, StringComparison.Ordinal);
        var json = await RunAsync("status", id, "--json");
        Assert.Equal(3, Regex.Count(json.Output, "\"shadowP95Ratio\": 1.1"));
        Assert.Contains("\"shadowSamples\": 200,", json.Output, StringComparison.Ordinal); // wave 2's pooled figures
        Assert.Contains("\"shadowAgreement\": 1", json.Output, StringComparison.Ordinal);
        Assert.Contains("\"minAgreement\": 0.95", json.Output, StringComparison.Ordinal); // the stored options carry the settings
    }

    [Fact]
    public async Task Deploy_DeviceRejectsInShadow_AbortsAndLaterWavesGetNoJob()
    {
        await using var fleet = await SimulatedFleet.StartAsync(_broker.Host, _broker.Port, "f1", 4, new SimulationSettings());
        fleet["dev-002"].Ota.ShadowAgreement = 0.5;
        var v2 = await _packages.BuildAsync("2.0.0");
        await AddGroupAsync(4);

        var deploy = await DeployAsync(v2, "--waves", "1,2,100%", "--shadow", "0.2", "--shadow-samples", "100");

        Assert.True(deploy.Code == ExitCodes.GoalNotMet, deploy.Output + deploy.Error);
        var id = DeploymentId().Match(deploy.Output).Groups[1].Value;
        Assert.Contains($"{id}: aborted: failure-rate: failure rate 100.0", deploy.Output, StringComparison.Ordinal);
        Assert.Contains("in wave 2: 1 of 1 devices failed or timed out [dev-002: rolled-back (shadow: agreement 0.5000 < 0.98", deploy.Output, StringComparison.Ordinal);
        Assert.Equal("1.0.0", fleet["dev-002"].Runner.Version);
        Assert.All(new[] { "dev-003", "dev-004" }, d => Assert.Empty(fleet[d].Ota.JobsReceived));
        var status = await RunAsync("status", id);
        Assert.Contains("wave 2 (1 devices): 1 rolled-back; shadow agreement 0.500 (50/100)", status.Output, StringComparison.Ordinal);
        Assert.Contains("dev-002                  rolled-back shadow 0.500 (50/100), p95 1.10× (from 1.0.0): shadow: agreement 0.5000 < 0.98", status.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_SingleDeviceWithShadow_JobCarriesItAndEachReportPrintsTheFigures()
    {
        await using var fleet = await SimulatedFleet.StartAsync(_broker.Host, _broker.Port, "f1", 1, new SimulationSettings());
        var v2 = await _packages.BuildAsync("2.0.0");

        var deploy = await RunAsync("deploy", v2, "--device", "dev-001", "--trust", _packages.PublicKeyPath, "--shadow", "10%", "--shadow-samples", "40");

        Assert.True(deploy.Code == ExitCodes.Success, deploy.Output + deploy.Error);
        Assert.Equal(new OtaShadowRequest { SampleFraction = 0.1, MinSamples = 40 }, Assert.Single(fleet["dev-001"].Ota.JobsReceived).Shadow);
        Assert.Contains("shadow: 10% of live calls on each device; a device promotes after 40 samples with agreement ≥ 0.98", deploy.Output, StringComparison.Ordinal);
        Assert.Contains("dev-001 health-checking (shadow) shadow 1.000 (20/20)", deploy.Output, StringComparison.Ordinal);
        Assert.Contains("dev-001 succeeded shadow 1.000 (40/40)", deploy.Output, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^deployment (dep-[0-9a-f]{8}):", RegexOptions.Multiline)]
    private static partial Regex DeploymentId();
}
