using System.Net;
using Edge.Fleet.Dashboard;
using Edge.Fleet.Deployments;
using Edge.Fleet.Inventory;
using Edge.Fleet.Storage;
using Edge.Protocol.Ota;

namespace Edge.Fleet.Tests.Dashboard;

/// <summary>The rollout page of a shadowed deployment: the settings, each device's figures and each wave's pooled agreement.</summary>
public sealed class RolloutsPageShadowTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("edge-fleet-rollouts-page-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Render_ShadowedDeployment_ShowsFiguresPerDeviceAndPerWave()
    {
        await using var store = await FleetStore.OpenAsync(StoreSpec.Parse($"sqlite:{Path.Combine(_directory, "state.db")}", "--store"), TimeProvider.System, CancellationToken.None);
        var options = new DeploymentOptions { Waves = "1,100%", Shadow = new OtaShadowRequest { SampleFraction = 0.1, MinSamples = 500, MinAgreement = 0.98 } };
        DeviceRecord[] devices = [new() { Fleet = "f1", Device = "d1", Online = true }, new() { Fleet = "f1", Device = "d2", Online = true }];
        await DeploymentPlanner.CreateAsync(store.Deployments, DeploymentPlanner.Plan("dep-p", "g1", "p.edgepkg", "mnist", "2.0.0", options, devices), CancellationToken.None);
        var rows = await store.Deployments.DevicesAsync("dep-p", CancellationToken.None);
        await store.Deployments.UpdateDevicesAsync("dep-p", [
            rows[0] with { State = RolloutStates.Succeeded, ShadowSamples = 500, ShadowAgreements = 496, ShadowP95Ratio = 1.05 },
            rows[1] with { State = "health-checking", ShadowSamples = 120, ShadowAgreements = 120 },
        ], CancellationToken.None);

        var page = await RolloutsPage.RenderAsync(store, "dep-p", actionsEnabled: false, CancellationToken.None);

        var html = WebUtility.HtmlDecode(string.Concat(page!.Sections.Select(s => s.Html)));
        Assert.Contains("<td class=\"shadow\">0.992 (496/500), p95 1.05×</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td class=\"shadow\">1.000 (120/120)</td>", html, StringComparison.Ordinal);
        Assert.Contains("Wave 1 — shadow agreement 0.992 (496/500)", html, StringComparison.Ordinal);
        Assert.Contains("pooled shadow agreement below 0.98", html, StringComparison.Ordinal);
        Assert.Contains("a device promotes after 500 samples with agreement ≥ 0.98", html, StringComparison.Ordinal);
    }
}
