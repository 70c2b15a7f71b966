using Edge.Fleet.Deployments;
using Edge.Fleet.Groups;
using Edge.Fleet.Inventory;
using Edge.Fleet.Storage;
using Microsoft.Extensions.Time.Testing;
using static Edge.Fleet.Tests.Storage.StoreTestData;

namespace Edge.Fleet.Tests.Storage;

/// <summary>
/// What every state store must do, run against SQLite (<see cref="SqliteFleetStoreTests"/>) and a real PostgreSQL
/// (<see cref="PostgresFleetStoreTests"/>): the same calls give the same answers.
/// </summary>
public abstract partial class FleetStoreContract : IAsyncLifetime
{
    private IFleetStore? _store;

    protected FakeTimeProvider Time { get; } = new(Start);

    internal IFleetStore Store => _store ?? throw new InvalidOperationException("The store is not open.");

    public async Task InitializeAsync() => _store = await FleetStore.OpenAsync(await SpecAsync(), Time, CancellationToken.None);

    public async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        await CleanUpAsync();
    }

    /// <summary>A store of its own for each test.</summary>
    internal abstract Task<StoreSpec> SpecAsync();

    protected virtual Task CleanUpAsync() => Task.CompletedTask;

    private static DeviceRecord Device(string id) => new() { Fleet = "f1", Device = id, Online = true };

    [Fact]
    public async Task SaveStatuses_OfflineWillAfterOnline_KeepsFactsAndLatestLastSeen()
    {
        await Store.Inventory.SaveStatusesAsync([Online("cam-b"), Online("cam-a", board: "rpi5")], Start.AddSeconds(5), CancellationToken.None);
        await Store.Inventory.SaveStatusesAsync([Offline("cam-a", Start.AddSeconds(1))], Start.AddSeconds(9), CancellationToken.None);

        var devices = await Store.Inventory.LoadAsync(CancellationToken.None);

        Assert.Equal(["cam-a", "cam-b"], devices.Select(d => d.Device));
        var camA = devices[0];
        Assert.False(camA.Online);
        Assert.Equal("connection-lost", camA.Reason);
        Assert.Equal("rpi5", camA.Board);
        Assert.Equal("mnist@1.0.0", camA.ActiveModel);
        Assert.Equal(Start.AddSeconds(5), camA.LastSeen); // the Will's older timestamp does not move it back
        Assert.True(devices[1].Online);
    }

    [Fact]
    public async Task Touch_NewerAndOlderTimes_OnlyMovesLastSeenForward()
    {
        await Store.Inventory.SaveStatusesAsync([Online("cam-a")], Start, CancellationToken.None);

        await Store.Inventory.TouchAsync(new Dictionary<string, DateTimeOffset> { ["cam-a"] = Start.AddMinutes(2), ["unknown"] = Start }, CancellationToken.None);
        await Store.Inventory.TouchAsync(new Dictionary<string, DateTimeOffset> { ["cam-a"] = Start.AddMinutes(1) }, CancellationToken.None);

        var device = Assert.Single(await Store.Inventory.LoadAsync(CancellationToken.None));
        Assert.Equal(Start.AddMinutes(2), device.LastSeen);
    }

    [Fact]
    public async Task SetLabels_SetReplaceRemoveThenForget_RemovesDeviceLabelsAndMemberships()
    {
        await Store.Inventory.SaveStatusesAsync([Online("cam-a")], Start, CancellationToken.None);
        await Store.Inventory.SetLabelsAsync("cam-a", new Dictionary<string, string?> { ["site"] = "lobby", ["ring"] = "canary" }, CancellationToken.None);
        await Store.Inventory.SetLabelsAsync("cam-a", new Dictionary<string, string?> { ["site"] = "dock", ["ring"] = null }, CancellationToken.None);
        await Store.Groups.AddAsync("pinned", null, ["cam-a", "cam-z"], CancellationToken.None);

        var labelled = Assert.Single(await Store.Inventory.LoadAsync(CancellationToken.None));
        Assert.Equal(new Dictionary<string, string> { ["site"] = "dock" }, labelled.Labels);

        Assert.True(await Store.Inventory.ForgetAsync("cam-a", CancellationToken.None));
        Assert.False(await Store.Inventory.ForgetAsync("cam-a", CancellationToken.None));
        Assert.Empty(await Store.Inventory.LoadAsync(CancellationToken.None));
        Assert.Equal(["cam-z"], (await Store.Groups.GetAsync("pinned", CancellationToken.None)).Devices);
    }

    [Fact]
    public async Task AddGroup_ListedDevicesAndSelector_ListedInOrderAndNameCannotBeReused()
    {
        Time.Advance(TimeSpan.FromMinutes(3));
        await Store.Groups.AddAsync("lobby", "site=lobby", ["cam-c", "cam-a", "cam-b"], CancellationToken.None);
        await Store.Groups.AddAsync("all", "board=jetson-orin-nano", [], CancellationToken.None);

        var reused = await Assert.ThrowsAsync<ArgumentException>(() => Store.Groups.AddAsync("lobby", null, ["cam-x"], CancellationToken.None));
        var groups = await Store.Groups.ListAsync(CancellationToken.None);

        Assert.Contains("a group with that name exists", reused.Message, StringComparison.Ordinal);
        Assert.Equal(["all", "lobby"], groups.Select(g => g.Name));
        Assert.Equal(["cam-c", "cam-a", "cam-b"], groups[1].Devices);
        Assert.Equal("site=lobby", groups[1].Selector);
        Assert.Equal(Start.AddMinutes(3), groups[1].Created);
    }

    [Fact]
    public async Task RemoveGroup_WhileItsDeploymentRuns_IsRefusedThenAllowed()
    {
        await Store.Groups.AddAsync("g1", null, ["d1"], CancellationToken.None);
        var plan = DeploymentPlanner.Plan("dep-a", "g1", "a.edgepkg", "mnist", "2.0.0", new DeploymentOptions(), [Device("d1")]);
        await DeploymentPlanner.CreateAsync(Store.Deployments, plan, CancellationToken.None);
        await Store.Deployments.UpdateDeploymentAsync("dep-a", "running", null, 0, RolloutStates.WaveRunning, null, CancellationToken.None);

        var refused = await Assert.ThrowsAsync<ArgumentException>(() => Store.Groups.RemoveAsync("g1", CancellationToken.None));
        Assert.Contains("dep-a is still running", refused.Message, StringComparison.Ordinal);

        await Store.Deployments.UpdateDeploymentAsync("dep-a", "succeeded", null, 0, null, null, CancellationToken.None);
        await Store.Groups.RemoveAsync("g1", CancellationToken.None);
        await Assert.ThrowsAsync<UnknownGroupException>(() => Store.Groups.GetAsync("g1", CancellationToken.None));
    }

    [Fact]
    public async Task CreateDeployment_DeviceWithUnfinishedJobElsewhere_RefusesNamingDeviceAndDeployment()
    {
        var first = DeploymentPlanner.Plan("dep-a", "g1", "a.edgepkg", "mnist", "2.0.0", new DeploymentOptions(), [Device("d1"), Device("d2")]);
        await DeploymentPlanner.CreateAsync(Store.Deployments, first, CancellationToken.None);

        var second = DeploymentPlanner.Plan("dep-b", "g2", "b.edgepkg", "mnist", "3.0.0", new DeploymentOptions(), [Device("d2"), Device("d3")]);
        var conflict = await Assert.ThrowsAsync<DeploymentConflictException>(() => DeploymentPlanner.CreateAsync(Store.Deployments, second, CancellationToken.None));

        Assert.Contains("d2 (dep-a)", conflict.Message, StringComparison.Ordinal);
        Assert.Null(await Store.Deployments.FindAsync("dep-b", CancellationToken.None));
    }

    [Fact]
    public async Task CreateDeployment_PreviousDeploymentFinishedOnTheDevice_IsAccepted()
    {
        await DeploymentPlanner.CreateAsync(Store.Deployments,
            DeploymentPlanner.Plan("dep-a", "g1", "a.edgepkg", "mnist", "2.0.0", new DeploymentOptions(), [Device("d1")]), CancellationToken.None);
        var device = (await Store.Deployments.DevicesAsync("dep-a", CancellationToken.None)).Single();
        await Store.Deployments.UpdateDeviceAsync("dep-a", device with { State = RolloutStates.Succeeded }, CancellationToken.None);

        await DeploymentPlanner.CreateAsync(Store.Deployments,
            DeploymentPlanner.Plan("dep-b", "g1", "b.edgepkg", "mnist", "3.0.0", new DeploymentOptions(), [Device("d1")]), CancellationToken.None);

        Assert.NotNull(await Store.Deployments.FindAsync("dep-b", CancellationToken.None));
    }

    [Fact]
    public async Task UpdateDevices_ProgressAndStates_ReadBackWithOpenJobsAndEvents()
    {
        var plan = DeploymentPlanner.Plan("dep-a", "g1", "a.edgepkg", "mnist", "2.0.0", new DeploymentOptions { Waves = "1,100%" }, [Device("d1"), Device("d2")]);
        await DeploymentPlanner.CreateAsync(Store.Deployments, plan, CancellationToken.None);
        var devices = await Store.Deployments.DevicesAsync("dep-a", CancellationToken.None);
        Time.Advance(TimeSpan.FromSeconds(30));

        await Store.Deployments.UpdateDevicesAsync("dep-a", [
            devices[0] with { State = "downloading", Progress = 40, JobId = "dep-a", Started = Time.GetUtcNow(), PreviousVersion = "1.0.0" },
            devices[1] with { State = RolloutStates.Failed, Reason = "health check", Finished = Time.GetUtcNow() },
        ], CancellationToken.None);
        await Store.Deployments.UpdateDeploymentAsync("dep-a", "running", null, 1, RolloutStates.WaveRunning, Time.GetUtcNow(), CancellationToken.None);
        await Store.Deployments.AddEventAsync("dep-a", "wave 1 passed", CancellationToken.None);

        var read = await Store.Deployments.DevicesAsync("dep-a", CancellationToken.None);
        var deployment = await Store.Deployments.GetAsync("dep-a", CancellationToken.None);
        var events = await Store.Deployments.EventsAsync("dep-a", CancellationToken.None);
        var jobs = await Store.Deployments.OpenJobsAsync(CancellationToken.None);

        Assert.Equal(("d1", 0, "downloading", 40.0, "1.0.0"), (read[0].Device, read[0].Wave, read[0].State, read[0].Progress!.Value, read[0].PreviousVersion));
        Assert.Equal(Start.AddSeconds(30), read[0].Started);
        Assert.Equal((RolloutStates.Failed, "health check", Start.AddSeconds(30)), (read[1].State, read[1].Reason, read[1].Finished));
        Assert.Equal(("running", 1, Start.AddSeconds(30), Start, "1,100%"), (deployment.State, deployment.CurrentWave, deployment.WaveChanged!.Value, deployment.Created, deployment.Options.Waves));
        Assert.Equal(["created for group g1: 2 devices in 2 waves", "wave 1 passed"], events.Select(e => e.Message));
        Assert.Equal(new Dictionary<string, string> { ["d1"] = "dep-a (downloading 40%)" }, jobs);
        Assert.Equal(["dep-a"], (await Store.Deployments.ListAsync(CancellationToken.None)).Select(d => d.Id));
    }

    [Fact]
    public async Task AddTelemetry_SameDeviceAndSeqTwice_StoredAndCountedOnce()
    {
        IReadOnlyList<Edge.Fleet.Monitoring.TelemetryRecord> batch = [Record("cam-a", 1, Start), Record("cam-a", 2, Start.AddSeconds(1)), Record("cam-b", 1, Start, calls: null)];

        var first = await Store.Telemetry.AddAsync(batch, Start.AddSeconds(2), CancellationToken.None);
        var again = await Store.Telemetry.AddAsync([batch[1], Record("cam-a", 3, Start.AddSeconds(2))], Start.AddSeconds(3), CancellationToken.None);

        Assert.Equal(3, first);
        Assert.Equal(1, again);
        Assert.Equal(4, await Store.Telemetry.CountAsync(CancellationToken.None));
    }

    [Fact]
    public async Task QueryTelemetry_TimeWindowAndDevices_ReturnsMatchingRowsOldestFirst()
    {
        await Store.Telemetry.AddAsync(
            [Record("cam-b", 7, Start.AddSeconds(1), p95: 9.5), Record("cam-a", 1, Start), Record("cam-a", 2, Start.AddMinutes(5)), Record("cam-c", 1, Start.AddSeconds(2))],
            Start.AddMinutes(6), CancellationToken.None);

        var rows = await Store.Telemetry.QueryAsync(Start, ["cam-a", "cam-b"], CancellationToken.None, until: Start.AddMinutes(1));
        var all = await Store.Telemetry.QueryAsync(Start.AddSeconds(1), null, CancellationToken.None);

        Assert.Equal([("cam-a", 1L), ("cam-b", 7L)], rows.Select(r => (r.Device, r.Seq)));
        var row = rows[1];
        Assert.Equal((Start.AddSeconds(1), Start.AddMinutes(6), "mnist", "1.0.0", 10L, 1L), (row.At, row.Received, row.Model, row.Version, row.Calls!.Value, row.Errors!.Value));
        Assert.Equal((2.0, 9.5, 10.5, 20.0, 1_000_000_000L, 4_000_000_000L, 50.0),
            (row.P50Ms!.Value, row.P95Ms!.Value, row.P99Ms!.Value, row.CpuPercent!.Value, row.MemoryUsedBytes!.Value, row.MemoryTotalBytes!.Value, row.TemperatureCelsius!.Value));
        Assert.Equal(["cam-b", "cam-c", "cam-a"], all.Select(r => r.Device));
    }
}
