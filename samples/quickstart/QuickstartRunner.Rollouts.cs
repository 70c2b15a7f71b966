using System.Text.Json.Nodes;
using Edge.Quickstart.Fleet;
using Edge.Quickstart.Optimization;
using Edge.Quickstart.Release;
using Edge.Quickstart.Reporting;
using Spectre.Console;

namespace Edge.Quickstart;

/// <summary>Steps 7 to 9 and 11: v2 through a wave rollout and its hot swap, the broken v3 and the gate, the devices' final counts.</summary>
internal sealed partial class QuickstartRunner
{
    private async Task<OptimizedModels> RolloutV2Async(ModelOptimizer optimizer, PackageBuilder packages, FleetDriver fleet, FleetWatcher watcher, string v1, CancellationToken cancellationToken)
    {
        Step(7, "Build v2 (dotnet edge-optimize run: prune, then distill from the original) and deploy it through a wave rollout");
        Say($"one recipe, two steps: prune {ModelOptimizer.PrunedFraction:P0} of the channels (smallest L1 norm), then distill from the original");
        var (pruned, distilled) = await optimizer.BuildV2Async(options.ModelPath, "v2", line => Say("edge-optimize run, distill: " + line), cancellationToken);
        var v2 = distilled;
        var models = new OptimizedModels(options.ModelPath, v1, pruned, distilled);
        var figures = ModelComparison.Measure(
            [("fp32 original", options.ModelPath), (V1Label, v1), ("v2 pruned only", pruned), ("v2 pruned+distilled", distilled)],
            options.ModelPath, _split.Evaluation, _preprocess, options.LatencyRuns, cancellationToken);
        SummaryTable.WriteModels(console, figures, options.LatencyRuns);
        _summary.Models = [.. figures];

        var drop = (figures[1].Top1 - figures[^1].Top1) * 100;
        if (!(drop <= options.MaxAccuracyDropPoints))
        {
            throw new QuickstartException(
                $"v2's top-1 {figures[^1].Top1:P2} is {drop:F1} points below v1's {figures[1].Top1:P2} (limit --max-accuracy-drop {options.MaxAccuracyDropPoints}); not shipping it.");
        }

        var golden = Path.Combine(_workspace.Golden, "v2");
        GoldenSamples.Write(v2, _split.App, _preprocess, golden);
        var v2Figures = figures[^1];
        var package = await packages.PackAsync(v2, "2.0.0", golden, "1.0.0", PackageBuilder.Metrics(v2Figures.Top1, v2Figures.P50Ms, v2Figures.Bytes), cancellationToken);
        Say($"{Path.GetFileName(package)}: {new FileInfo(package).Length:N0} bytes, signed; dotnet edge-fleet deploy --group {FleetDriver.Group} --waves 1,100% ({FleetDriver.GateSettings}):");
        var rollout = await fleet.DeployAsync(package, "2.0.0", line => Say("  " + line), cancellationToken);
        _summary.Rollouts.Add(rollout);
        Say($"rollout {rollout.DeploymentId}: {rollout.Outcome} in {FleetDriver.Seconds(rollout.Seconds)}");
        if (rollout.ExitCode != 0 || rollout.Devices.Any(d => d.State != "succeeded"))
        {
            throw new QuickstartException($"the v2 rollout did not complete: {rollout.Outcome} ({Describe(rollout)}).");
        }

        Step(8, "Hot swap: the apps kept classifying while v2 was switched in; telemetry now reports 2.0.0");
        var devices = _devices.Select(d => d.Id).ToList();
        await watcher.WaitForAsync(devices, "2.0.0", 1, TimeSpan.FromSeconds(30), cancellationToken);
        foreach (var device in _devices)
        {
            var swap = await WaitForSwapAsync(device, "2.0.0", cancellationToken);
            _summary.Swaps.Add(swap);
            Say($"{device.Id}: {swap["from"]} -> {swap["to"]}: {swap["window_calls"]} calls in the 2 s around the switch, {swap["window_failed"]} failed, slowest {swap["window_max_ms"]} ms (steady p50 {swap["steady_p50_ms"]} ms)");
        }

        await ShowMonitorAsync(fleet, cancellationToken);
        Say($"telemetry: {Calls(watcher)} inference calls by version");
        return models;
    }

    private async Task RolloutV3Async(PackageBuilder packages, FleetDriver fleet, FleetWatcher watcher, OptimizedModels models, CancellationToken cancellationToken)
    {
        Step(9, "Deploy a deliberately broken v3: the device's health gate rolls it back");
        var broken = _workspace.Model("v3-broken");
        var weight = BrokenModel.Write(models.V2Distilled, broken);
        var golden = Path.Combine(_workspace.Golden, "v3");
        GoldenSamples.Write(models.V2Distilled, _split.App, _preprocess, golden);
        Say($"v3 = the distilled v2 with every value of '{weight}' set to NaN (a bad export); golden samples recorded from the validated model");
        var package = await packages.PackAsync(broken, "3.0.0", golden, "2.0.0", new JsonObject { ["note"] = "broken on purpose" }, cancellationToken);
        var callsBefore = watcher.CallsByVersion.GetValueOrDefault("2.0.0");
        var rollout = await fleet.DeployAsync(package, "3.0.0", line => Say("  " + line), cancellationToken);
        _summary.Rollouts.Add(rollout);
        Say($"rollout {rollout.DeploymentId}: {rollout.Outcome} in {FleetDriver.Seconds(rollout.Seconds)}");
        var canary = rollout.Devices.FirstOrDefault(d => d.Wave == 1);
        if (rollout.ExitCode != 3 || canary is null || canary.State != "rolled-back" || rollout.Devices.Any(d => d.Wave > 1 && d.State is not ("skipped" or "pending")))
        {
            throw new QuickstartException($"the broken v3 was not stopped at the canary's health gate: {rollout.Outcome} ({Describe(rollout)}).");
        }

        _summary.GateVerdict = $"{canary.Device}: {canary.State}: {canary.Reason}";
        Say($"gate verdict on {canary.Device}: {canary.Reason}");
        Say($"devices in later waves never received v3: {string.Join(", ", rollout.Devices.Where(d => d.Wave > 1).Select(d => $"{d.Device} {d.State}"))}");

        // Every device must still be serving v2, and serving it: telemetry keeps reporting 2.0.0 calls.
        var devices = _devices.Select(d => d.Id).ToList();
        var target = devices.ToDictionary(d => d, d => watcher.Records(d) + 2);
        await watcher.WaitForAsync(devices, "2.0.0", target.Values.Max(), TimeSpan.FromSeconds(30), cancellationToken);
        Say($"all {devices.Count} devices still serve 2.0.0: {watcher.CallsByVersion.GetValueOrDefault("2.0.0") - callsBefore:N0} more calls on 2.0.0 in telemetry since the v3 deploy began");
    }

    private async Task StopDevicesAsync(CancellationToken cancellationToken)
    {
        Step(11, "Stop the devices and summarize");
        foreach (var device in _devices)
        {
            var final = await device.StopAsync(cancellationToken);
            _summary.Devices.Add(final);
        }
    }

    private static async Task<JsonObject> WaitForSwapAsync(Devices.DeviceProcess device, string version, CancellationToken cancellationToken)
    {
        for (var i = 0; i < 100; i++)
        {
            if (device.Swaps.FirstOrDefault(s => s["to"]?.GetValue<string>() == version) is { } swap)
            {
                return swap;
            }

            await Task.Delay(100, cancellationToken);
        }

        throw new QuickstartException($"{device.Id}'s app did not see the switch to {version} within 10 s.");
    }

    private static string Describe(RolloutResult rollout) =>
        string.Join("; ", rollout.Devices.Select(d => $"{d.Device} wave {d.Wave} {d.State}{(d.Reason is null ? string.Empty : ": " + d.Reason)}"));
}
