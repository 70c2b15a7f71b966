using Edge.Fleet.Deployments;
using Edge.Fleet.Inventory;

namespace Edge.Fleet.Tests.Deployments;

/// <summary>Wave planning. The store side of deployments is in Storage/FleetStoreContract (SQLite and PostgreSQL).</summary>
public sealed class DeploymentPlannerTests
{
    private static DeviceRecord Device(string id) => new() { Fleet = "f1", Device = id, Online = true };

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
