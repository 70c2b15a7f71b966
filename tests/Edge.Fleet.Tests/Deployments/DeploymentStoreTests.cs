using Edge.Fleet.Deployments;
using Edge.Fleet.Inventory;
using Edge.Fleet.Storage.Sqlite;

namespace Edge.Fleet.Tests.Deployments;

public sealed class DeploymentStoreTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("edge-fleet-store-").FullName;
    private FleetDatabase _database = null!;

    public async Task InitializeAsync() => _database = await FleetDatabase.OpenAsync(Path.Combine(_directory, "state.db"), CancellationToken.None);

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private static DeviceRecord Device(string id) => new() { Fleet = "f1", Device = id, Online = true };

    [Fact]
    public async Task CreateAsync_DeviceWithUnfinishedJobElsewhere_RefusesNamingDeviceAndDeployment()
    {
        var store = new SqliteDeploymentStore(_database, TimeProvider.System);
        var first = DeploymentPlanner.Plan("dep-a", "g1", "a.edgepkg", "mnist", "2.0.0", new DeploymentOptions(), [Device("d1"), Device("d2")]);
        await DeploymentPlanner.CreateAsync(store, first, CancellationToken.None);

        var second = DeploymentPlanner.Plan("dep-b", "g2", "b.edgepkg", "mnist", "3.0.0", new DeploymentOptions(), [Device("d2"), Device("d3")]);
        var conflict = await Assert.ThrowsAsync<DeploymentConflictException>(() => DeploymentPlanner.CreateAsync(store, second, CancellationToken.None));

        Assert.Contains("d2 (dep-a)", conflict.Message, StringComparison.Ordinal);
        Assert.Null(await store.FindAsync("dep-b", CancellationToken.None));
    }

    [Fact]
    public async Task CreateAsync_PreviousDeploymentFinishedOnTheDevice_IsAccepted()
    {
        var store = new SqliteDeploymentStore(_database, TimeProvider.System);
        await DeploymentPlanner.CreateAsync(store, DeploymentPlanner.Plan("dep-a", "g1", "a.edgepkg", "mnist", "2.0.0", new DeploymentOptions(), [Device("d1")]), CancellationToken.None);
        var device = (await store.DevicesAsync("dep-a", CancellationToken.None)).Single();
        await store.UpdateDeviceAsync("dep-a", device with { State = RolloutStates.Succeeded }, CancellationToken.None);

        await DeploymentPlanner.CreateAsync(store, DeploymentPlanner.Plan("dep-b", "g1", "b.edgepkg", "mnist", "3.0.0", new DeploymentOptions(), [Device("d1")]), CancellationToken.None);

        Assert.NotNull(await store.FindAsync("dep-b", CancellationToken.None));
    }

    [Fact]
    public void Plan_OfflineDevices_GoToTheLastWaves()
    {
        var devices = new[] { Device("a") with { Online = false }, Device("b"), Device("c"), Device("d") };

        var plan = DeploymentPlanner.Plan("dep-x", "g", "p", "mnist", "2.0.0", new DeploymentOptions { Waves = "1,50%,100%" }, devices);

        Assert.Equal(["b", "c", "d", "a"], plan.Devices.Select(d => d.Device));
        Assert.Equal([0, 1, 2, 2], plan.Devices.Select(d => d.Wave));
        Assert.Contains("wave 3: 2 devices: d, a(offline)", plan.Describe(), StringComparer.Ordinal);
    }
}
