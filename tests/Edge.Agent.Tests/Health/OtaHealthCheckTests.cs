using Edge.Agent.Health;
using Edge.Agent.Ota;
using Edge.Agent.Ota.Slots;
using Edge.Agent.Tests.Ota;
using Edge.Agent.Tests.Ota.Support;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Edge.Agent.Tests.Health;

/// <summary>The OTA check on a real agent serving a real package, with its A/B pointer changed under it as a cut-off switch would leave it.</summary>
[Collection(OtaSerialGroup.Name)]
public sealed class OtaHealthCheckTests : IDisposable
{
    private readonly OtaPackages _packages = new();

    [Fact]
    public async Task Check_PointerAndServedModelDisagree_UnhealthyThenDegradedForAnUncommittedTrial()
    {
        var package = await _packages.BuildAsync("1.0.0", rounds: 0);
        await using var agent = await OtaAgent.StartAsync("127.0.0.1", 1, "dev-ota-health", _packages, package, Path.Combine(_packages.Root, "agent-data"));
        var health = agent.Get<HealthCheckService>();
        var slots = agent.Get<OtaRuntime>().Slots;
        var served = (await slots.ReadPointerAsync(CancellationToken.None))!;

        var consistent = await CheckAsync(health);
        await slots.WritePointerAsync(new SlotPointer { Active = served.Active with { Slot = "b", Version = "2.0.0" }, Previous = served.Active }, CancellationToken.None);
        var halfSwitched = await CheckAsync(health);
        await slots.WritePointerAsync(served with { TrialJobId = "job-gone" }, CancellationToken.None);
        var onTrial = await CheckAsync(health);

        Assert.Equal(HealthStatus.Healthy, consistent.Status);
        Assert.Contains("active 1.0.0, served 1.0.0; no job running", consistent.Description, StringComparison.Ordinal);
        Assert.Equal(HealthStatus.Unhealthy, halfSwitched.Status);
        Assert.Contains("slot b (mnist 2.0.0) is active but 1.0.0 from slot a is served", halfSwitched.Description, StringComparison.Ordinal);
        Assert.Equal(HealthStatus.Degraded, onTrial.Status);
        Assert.Contains("on trial for job job-gone", onTrial.Description, StringComparison.Ordinal);
    }

    public void Dispose() => _packages.Dispose();

    private static async Task<HealthReportEntry> CheckAsync(HealthCheckService health) =>
        (await health.CheckHealthAsync(r => r.Name == AgentHealthChecks.Ota)).Entries[AgentHealthChecks.Ota];
}
