using System.Globalization;
using System.Text.RegularExpressions;
using Edge.CommandLine;
using Edge.Fleet.Cli;
using Edge.Fleet.Deployments;
using Edge.Fleet.Storage;
using Edge.Fleet.Tests.Simulation;
using Edge.TestUtilities.Mqtt;

namespace Edge.Fleet.Tests.Cli;

/// <summary>
/// <c>pause</c>, <c>resume</c> of a paused deployment that another instance drives, and <c>deploy --detach --hold</c>,
/// through the CLI on a SQLite state file (and Mosquitto with simulated devices for deploy).
/// </summary>
[Collection(SimulatedFleetGroup.Name)]
public sealed partial class PauseResumeCommandTests : IAsyncLifetime, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("edge-fleet-pause-").FullName;
    private readonly TestPackages _packages = new();
    private MosquittoBroker _broker = null!;

    private string StatePath => Path.Combine(_directory, "state.db");

    public async Task InitializeAsync() => _broker = await MosquittoBroker.StartAsync();

    public async Task DisposeAsync()
    {
        await _broker.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    public void Dispose() => _packages.Dispose();

    [Fact]
    public async Task Pause_ThenAgainIsAConflict_ThenResumeLeavesItToTheInstanceHoldingTheLease()
    {
        await using (var store = await FleetStore.OpenAsync(StoreSpec.Sqlite(StatePath), TimeProvider.System, CancellationToken.None))
        {
            var plan = DeploymentPlanner.Plan("dep-cli", "g1", "/packages/mnist-2.0.0.edgepkg", "mnist", "2.0.0", new DeploymentOptions(),
                [new() { Fleet = "f1", Device = "cam-1", Online = true }]);
            await DeploymentPlanner.CreateAsync(store.Deployments, plan, CancellationToken.None);
            Assert.True(await store.Deployments.TryLeaseAsync("dep-cli", new DeploymentLease("serve:f1/other", TimeSpan.FromHours(1)), CancellationToken.None));
        }

        var pause = await RunAsync("pause", "dep-cli");
        var again = await RunAsync("pause", "dep-cli");
        var resume = await RunAsync("resume", "dep-cli");
        var unknown = await RunAsync("pause", "dep-none");

        Assert.True(pause.Code == ExitCodes.Success, pause.Error);
        Assert.Equal("Deployment 'dep-cli' paused (was running); serve:f1/other holds its lease.", pause.Output.Trim());
        Assert.Equal(ExitCodes.BadInput, again.Code);
        Assert.Equal("error: Deployment 'dep-cli' is paused; only a running deployment can be paused.", again.Error.Trim());
        Assert.True(resume.Code == ExitCodes.Success, resume.Error);
        Assert.Contains("Deployment 'dep-cli' started (was paused); serve:f1/other holds its lease.", resume.Output, StringComparison.Ordinal);
        Assert.Contains("dep-cli: serve:f1/other drives it and continues it", resume.Output, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.BadInput, unknown.Code);
        Assert.Equal("error: Unknown deployment 'dep-none'.", unknown.Error.Trim());

        await using var after = await FleetStore.OpenAsync(StoreSpec.Sqlite(StatePath), TimeProvider.System, CancellationToken.None);
        var stored = await after.Deployments.GetAsync("dep-cli", CancellationToken.None);
        Assert.Equal(RolloutStates.Running, stored.State);
        Assert.Equal("serve:f1/other", stored.LeaseOwner);
        var events = (await after.Deployments.EventsAsync("dep-cli", CancellationToken.None)).Select(e => e.Message).ToList();
        Assert.Contains("paused by the operator with edge-fleet pause", events);
        Assert.Contains("started by the operator with edge-fleet resume", events);
    }

    [Fact]
    public async Task DeployDetachHold_StoresItPausedAndPublishesNothing()
    {
        await using var fleet = await SimulatedFleet.StartAsync(_broker.Host, _broker.Port, "f1", 2, new SimulationSettings());
        var v2 = await _packages.BuildAsync("2.0.0");
        Assert.Equal(ExitCodes.Success, (await RunAsync("groups", "add", "all", "--selector", "model=mnist")).Code);

        var withoutDetach = await RunAsync("deploy", v2, "--group", "all", "--trust", _packages.PublicKeyPath, "--hold");
        var held = await RunAsync("deploy", v2, "--group", "all", "--trust", _packages.PublicKeyPath, "--detach", "--hold");

        Assert.Equal(ExitCodes.BadInput, withoutDetach.Code);
        Assert.Contains("--hold: only with --detach", withoutDetach.Error, StringComparison.Ordinal);
        Assert.True(held.Code == ExitCodes.Success, held.Output + held.Error);
        var id = DeploymentId().Match(held.Output).Groups[1].Value;
        Assert.Contains($"{id}: stored paused ({DeploymentPlanner.HeldReason} {id})", held.Output, StringComparison.Ordinal);
        await using var store = await FleetStore.OpenAsync(StoreSpec.Sqlite(StatePath), TimeProvider.System, CancellationToken.None);
        var stored = await store.Deployments.GetAsync(id, CancellationToken.None);
        Assert.Equal(RolloutStates.Paused, stored.State);
        Assert.Equal(DeploymentPlanner.HeldReason, stored.Reason);
        Assert.All(await store.Deployments.DevicesAsync(id, CancellationToken.None), d => Assert.Equal(RolloutStates.Pending, d.State));
        Assert.All(fleet.Devices, d => Assert.Empty(d.Ota.JobsReceived));
    }

    [GeneratedRegex(@"^deployment (dep-[0-9a-f]{8}):", RegexOptions.Multiline)]
    private static partial Regex DeploymentId();

    private Task<(int Code, string Output, string Error)> RunAsync(params string[] args) => FleetCliRun.RunAsync(StatePath, _broker, args);
}
