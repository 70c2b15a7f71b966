using Edge.Fleet.Deployments;
using Edge.Fleet.Tests.Simulation;
using Edge.Protocol.Ota;
using Edge.TestUtilities.Mqtt;

namespace Edge.Fleet.Tests.Deployments;

/// <summary>
/// Shadowed wave rollouts against real Mosquitto with simulated devices: the jobs carry the deployment's shadow
/// settings, the devices' figures are kept per device, and a wave whose pooled agreement is too low aborts the rollout.
/// </summary>
[Collection(SimulatedFleetGroup.Name)]
public sealed class DeploymentEngineShadowTests : IAsyncLifetime
{
    private const string Fleet = "f1";
    private static readonly OtaShadowRequest Settings = new() { SampleFraction = 0.2, MinSamples = 200, MinAgreement = 0.95, MaxLatencyRatio = 2, TimeoutSeconds = 600 };
    private readonly string _directory = Directory.CreateTempSubdirectory("edge-fleet-shadow-").FullName;
    private MosquittoBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await MosquittoBroker.StartAsync();

    public async Task DisposeAsync()
    {
        await _broker.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private string DatabasePath => Path.Combine(_directory, "state.db");

    /// <summary>KPI aborts off: the shadow and the failure rate are what these rollouts are judged on.</summary>
    private static DeploymentOptions Options(string waves) => new()
    {
        Waves = waves,
        MaxConcurrent = 20,
        Soak = TimeSpan.Zero,
        DeviceTimeout = TimeSpan.FromSeconds(30),
        AbortLatencyP95Regression = null,
        AbortErrorRate = null,
        Shadow = Settings,
    };

    [Fact]
    public async Task RunAsync_DevicesAgreeInShadow_EveryJobCarriesTheShadowAndTheFiguresAreKept()
    {
        await using var fleet = await SimulatedFleet.StartAsync(_broker.Host, _broker.Port, Fleet, 4, new SimulationSettings());
        foreach (var device in fleet.Devices)
        {
            device.Ota.ShadowAgreement = 0.99;
        }

        await using var tool = await FleetToolHarness.StartAsync(_broker.Host, _broker.Port, Fleet, DatabasePath);
        var inventory = await tool.InventoryAsync(4);
        await DeploymentPlanner.CreateAsync(tool.Deployments, DeploymentPlanner.Plan("dep-agree", "all", "2.0.0.edgepkg", "mnist", "2.0.0", Options("1,100%"), inventory), CancellationToken.None);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var result = await tool.Engine().RunAsync("dep-agree", timeout.Token);

        Assert.Equal(RolloutStates.Completed, result.State);
        Assert.All(fleet.Devices, d => Assert.Equal(Settings, Assert.Single(d.Ota.JobsReceived).Shadow));
        Assert.All(fleet.Devices, d => Assert.Equal("2.0.0", d.Runner.Version));
        var devices = await tool.Deployments.DevicesAsync("dep-agree", CancellationToken.None);
        Assert.All(devices, d => Assert.Equal((RolloutStates.Succeeded, (long?)200, (long?)198, (double?)1.1), (d.State, d.ShadowSamples, d.ShadowAgreements, d.ShadowP95Ratio)));
        var events = (await tool.Deployments.EventsAsync("dep-agree", CancellationToken.None)).Select(e => e.Message).ToList();
        Assert.Contains("wave 2: 3/3 succeeded; shadow agreement 0.990 (594/600); soaking 0 s", events);
    }

    [Fact]
    public async Task RunAsync_WaveWhosePooledAgreementIsLow_AbortsOnShadowAgreementAndLaterWavesGetNoJob()
    {
        await using var fleet = await SimulatedFleet.StartAsync(_broker.Host, _broker.Port, Fleet, 6, new SimulationSettings());
        fleet["dev-003"].Ota.ShadowAgreement = 0.5;

        await using var tool = await FleetToolHarness.StartAsync(_broker.Host, _broker.Port, Fleet, DatabasePath);
        var inventory = await tool.InventoryAsync(6);

        // One rejection of the two devices in wave 2 is within a 50% failure rate: only the pooled agreement aborts.
        var options = Options("1,3,100%") with { AbortFailureRate = 0.5 };
        await DeploymentPlanner.CreateAsync(tool.Deployments, DeploymentPlanner.Plan("dep-disagree", "all", "2.0.0.edgepkg", "mnist", "2.0.0", options, inventory), CancellationToken.None);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var result = await tool.Engine().RunAsync("dep-disagree", timeout.Token);

        Assert.Equal(RolloutStates.Aborted, result.State);
        Assert.StartsWith(AbortDecision.ShadowAgreement + ": pooled shadow agreement 0.750 (300/400) < 0.95 in wave 2 over 2 devices", result.Reason, StringComparison.Ordinal);
        Assert.Contains("dev-003: 0.500 (100/200), p95 1.10× rolled-back", result.Reason, StringComparison.Ordinal);
        Assert.Contains("1 rejected the candidate in shadow and never served it", result.Reason, StringComparison.Ordinal);
        var devices = await tool.Deployments.DevicesAsync("dep-disagree", CancellationToken.None);
        var rejected = devices.Single(d => d.Device == "dev-003");
        Assert.Equal((RolloutStates.RolledBack, (long?)200, (long?)100), (rejected.State, rejected.ShadowSamples, rejected.ShadowAgreements));
        Assert.StartsWith("shadow: agreement 0.5000 < 0.95", rejected.Reason, StringComparison.Ordinal);
        Assert.Equal("1.0.0", fleet["dev-003"].Runner.Version); // it never served the candidate
        Assert.Equal("2.0.0", fleet["dev-002"].Runner.Version); // it agreed, and promoted on its own verdict
        Assert.All(devices.Where(d => d.Wave == 2), d => Assert.Equal(RolloutStates.Skipped, d.State));
        Assert.All(new[] { "dev-004", "dev-005", "dev-006" }, id => Assert.Empty(fleet[id].Ota.JobsReceived));
    }

    [Fact]
    public async Task RunAsync_DeviceRejectsInShadowAtDefaultFailureRate_AbortsOnFailureRateWithItsFigures()
    {
        await using var fleet = await SimulatedFleet.StartAsync(_broker.Host, _broker.Port, Fleet, 3, new SimulationSettings());
        fleet["dev-001"].Ota.ShadowAgreement = 0;

        await using var tool = await FleetToolHarness.StartAsync(_broker.Host, _broker.Port, Fleet, DatabasePath);
        var inventory = await tool.InventoryAsync(3);
        await DeploymentPlanner.CreateAsync(tool.Deployments, DeploymentPlanner.Plan("dep-reject", "all", "2.0.0.edgepkg", "mnist", "2.0.0", Options("1,100%"), inventory), CancellationToken.None);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var result = await tool.Engine().RunAsync("dep-reject", timeout.Token);

        Assert.Equal(RolloutStates.Aborted, result.State);
        Assert.StartsWith(AbortDecision.FailureRate, result.Reason, StringComparison.Ordinal);
        Assert.Contains("dev-001: rolled-back (shadow: agreement 0.0000 < 0.95", result.Reason, StringComparison.Ordinal);
        Assert.Equal("1.0.0", fleet["dev-001"].Runner.Version);
        Assert.All(new[] { "dev-002", "dev-003" }, id => Assert.Empty(fleet[id].Ota.JobsReceived));
    }
}
