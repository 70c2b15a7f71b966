using Edge.Fleet.Deployments;
using Edge.Protocol.Ota;

namespace Edge.Fleet.Tests.Storage;

/// <summary>Each device's shadow figures and the deployment's shadow settings, on both stores.</summary>
public abstract partial class FleetStoreContract
{
    [Fact]
    public async Task UpdateDevices_ShadowFigures_ReadBackWithTheDeploymentsShadowSettings()
    {
        var shadow = new OtaShadowRequest { SampleFraction = 0.25, MinSamples = 300, MinAgreement = 0.97, MaxLatencyRatio = 1.4, TimeoutSeconds = 900 };
        var plan = DeploymentPlanner.Plan("dep-s", "g1", "s.edgepkg", "mnist", "2.0.0", new DeploymentOptions { Waves = "100%", Shadow = shadow }, [Device("d1"), Device("d2")]);
        await DeploymentPlanner.CreateAsync(Store.Deployments, plan, CancellationToken.None);
        var devices = await Store.Deployments.DevicesAsync("dep-s", CancellationToken.None);
        Assert.All(devices, d => Assert.Equal((null, null, null), (d.ShadowSamples, d.ShadowAgreements, d.ShadowP95Ratio)));

        await Store.Deployments.UpdateDevicesAsync("dep-s", [
            devices[0] with { State = "health-checking", ShadowSamples = 5_000_000_000, ShadowAgreements = 4_955_000_000, ShadowP95Ratio = 1.25 },
            devices[1] with { State = RolloutStates.RolledBack, ShadowSamples = 300, ShadowAgreements = 12 },
        ], CancellationToken.None);

        var read = await Store.Deployments.DevicesAsync("dep-s", CancellationToken.None);
        Assert.Equal(((long?)5_000_000_000, (long?)4_955_000_000, (double?)1.25), (read[0].ShadowSamples, read[0].ShadowAgreements, read[0].ShadowP95Ratio));
        Assert.Equal(((long?)300, (long?)12, (double?)null), (read[1].ShadowSamples, read[1].ShadowAgreements, read[1].ShadowP95Ratio));
        Assert.Equal(shadow, (await Store.Deployments.GetAsync("dep-s", CancellationToken.None)).Options.Shadow);
    }
}
