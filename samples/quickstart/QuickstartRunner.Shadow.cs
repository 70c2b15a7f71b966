using System.Text.Json.Nodes;
using Edge.Quickstart.Fleet;
using Edge.Quickstart.Optimization;
using Edge.Quickstart.Release;

namespace Edge.Quickstart;

/// <summary>Step 10: a v3.1 that passes the golden gate but disagrees on live inputs, rejected in shadow without ever serving.</summary>
internal sealed partial class QuickstartRunner
{
    /// <summary>What the shadowed deploy asks: half the app's calls, 100 samples (a second or two at the app's rate), the fleet's default agreement.</summary>
    private static readonly string[] ShadowSettings =
        ["--shadow", "50%", "--shadow-samples", "100", "--min-agreement", "0.98", "--shadow-max-latency-ratio", "50", "--shadow-timeout", "60s"];

    private async Task RolloutV3ShadowAsync(PackageBuilder packages, FleetDriver fleet, FleetWatcher watcher, OptimizedModels models, CancellationToken cancellationToken)
    {
        Step(10, "Deploy v3.1 with a shadow canary: it passes the golden gate, but disagrees with v2 on live inputs and never serves");
        var swapped = _workspace.Model("v3.1-swapped");
        var weight = SwappedModel.Write(models.V2Distilled, swapped, 0, 1);
        var golden = Path.Combine(_workspace.Golden, "v3.1");
        GoldenSamples.Write(swapped, _split.App, _preprocess, golden);
        Say($"v3.1 = the distilled v2 with classes 0 and 1 swapped in '{weight}' (a mislabelled retrain); golden samples recorded from v3.1 itself, so the gate passes");
        var package = await packages.PackAsync(swapped, "3.1.0", golden, "2.0.0", new JsonObject { ["note"] = "classes 0 and 1 swapped on purpose" }, cancellationToken);
        Say($"dotnet edge-fleet deploy --group {FleetDriver.Group} --waves 1,100% {string.Join(' ', ShadowSettings)}:");
        var callsBefore = watcher.CallsByVersion.GetValueOrDefault("2.0.0");
        var rollout = await fleet.DeployAsync(package, "3.1.0", line => Say("  " + line), cancellationToken, ShadowSettings);
        _summary.Rollouts.Add(rollout);
        Say($"rollout {rollout.DeploymentId}: {rollout.Outcome} in {FleetDriver.Seconds(rollout.Seconds)}");
        var canary = rollout.Devices.FirstOrDefault(d => d.Wave == 1);
        if (rollout.ExitCode != 3 || canary is null || canary.State != "rolled-back" || canary.Reason?.StartsWith("shadow:", StringComparison.Ordinal) != true
            || rollout.Devices.Any(d => d.Wave > 1 && d.State is not ("skipped" or "pending")))
        {
            throw new QuickstartException($"v3.1 was not rejected in shadow on the canary: {rollout.Outcome} ({Describe(rollout)}).");
        }

        var verdict = canary.Reason!.Split("; worst samples", 2)[0];
        _summary.ShadowVerdict = $"{canary.Device}: {canary.State}: {verdict}";
        Say($"shadow verdict on {canary.Device}: {verdict}");
        Say($"devices in later waves never received v3.1: {string.Join(", ", rollout.Devices.Where(d => d.Wave > 1).Select(d => $"{d.Device} {d.State}"))}");

        var devices = _devices.Select(d => d.Id).ToList();
        var target = devices.ToDictionary(d => d, d => watcher.Records(d) + 2);
        await watcher.WaitForAsync(devices, "2.0.0", target.Values.Max(), TimeSpan.FromSeconds(30), cancellationToken);
        Say($"all {devices.Count} devices still serve 2.0.0 and v3.1 served no call: {watcher.CallsByVersion.GetValueOrDefault("2.0.0") - callsBefore:N0} more calls on 2.0.0, {watcher.CallsByVersion.GetValueOrDefault("3.1.0")} on 3.1.0");
    }
}
