using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Edge.Fleet.Deployments;
using Edge.Fleet.Publishing;
using Edge.Fleet.Storage;

namespace Edge.Fleet.Cli.Commands;

/// <summary>
/// <c>edge-fleet status [DEPLOYMENT] [--json]</c>: per wave and device state, progress and reason; without an id, every
/// deployment. An id that is not a deployment in the state file is taken as an OTA job id: the devices' retained state
/// reports are collected for <c>--wait</c> seconds and printed one line per device. A shadowed deployment shows each
/// device's latest shadow figures (<c>shadow 0.991 (496/500)</c>: agreement, agreements/samples) and each wave's pooled
/// agreement; <c>--json</c> carries them as <c>shadowSamples</c>, <c>shadowAgreements</c>, <c>shadowP95Ratio</c> per
/// device and under <c>waves</c>.
/// </summary>
internal static class StatusCommand
{
    private static readonly JsonSerializerOptions JsonOutput = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create(CliContext context, TimeProvider time)
    {
        var id = new Argument<string?>("deployment") { Description = "Deployment id (dep-…); omit to list deployments.", Arity = ArgumentArity.ZeroOrOne };
        var json = new Option<bool>("--json") { Description = "JSON instead of text." };
        var wait = new Option<double>("--wait") { Description = "For a job id: seconds to collect the retained reports (default 2).", DefaultValueFactory = _ => 2 };
        var command = new Command("status", "Shows a deployment per wave and device (state, progress, reason, events), or the device reports of an OTA job.") { id, json, wait };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var spec = FleetCommandOptions.StoreSpec(parse);
            var noState = spec.Kind == StoreKind.Sqlite && !File.Exists(spec.Target);
            if (parse.GetValue(id) is { } jobId && (noState || await IsUnknownDeploymentAsync(spec, jobId, time, cancellationToken)))
            {
                return await JobStatusAsync(context, parse, time, jobId, parse.GetValue(wait), cancellationToken);
            }

            await using var fleetStore = await FleetStore.OpenAsync(spec, time, cancellationToken);
            var store = fleetStore.Deployments;
            if (parse.GetValue(id) is not { } deploymentId)
            {
                foreach (var d in await store.ListAsync(cancellationToken))
                {
                    await context.Output.WriteLineAsync($"{d.Id}\t{d.State}\t{d.PackageName} {d.PackageVersion}\tgroup {d.Group}\twave {d.CurrentWave + 1}\t{d.Reason}");
                }

                return ExitCodes.Success;
            }

            var deployment = await store.GetAsync(deploymentId, cancellationToken);
            var devices = await store.DevicesAsync(deploymentId, cancellationToken);
            var events = await store.EventsAsync(deploymentId, cancellationToken);
            if (parse.GetValue(json))
            {
                await context.Output.WriteLineAsync(JsonSerializer.Serialize(new { deployment, devices, waves = Waves(devices), events = events.Select(e => new { at = e.At, message = e.Message }) }, JsonOutput));
                return ExitCodes.Success;
            }

            await context.Output.WriteLineAsync(Describe(deployment, devices, events));
            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task<bool> IsUnknownDeploymentAsync(StoreSpec spec, string id, TimeProvider time, CancellationToken cancellationToken)
    {
        await using var store = await FleetStore.OpenAsync(spec, time, cancellationToken);
        return await store.Deployments.FindAsync(id, cancellationToken) is null;
    }

    private static async Task<int> JobStatusAsync(CliContext context, ParseResult parse, TimeProvider time, string jobId, double wait, CancellationToken cancellationToken)
    {
        var fleet = FleetCommandOptions.FleetId(parse);
        await using var connection = await FleetCommandOptions.ConnectAsync(parse, context, time, "status", cancellationToken);
        using var states = new JobStateTracker(connection.Client, fleet);
        await states.StartAsync(cancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(wait), time, cancellationToken);
        var reports = states.ForJob(jobId);
        if (reports.Count == 0)
        {
            await context.Output.WriteLineAsync($"no device has reported on job {jobId} in fleet {fleet}");
            return ExitCodes.GoalNotMet;
        }

        foreach (var report in reports)
        {
            await context.Output.WriteLineAsync(SingleJob.Describe(report) + $" (active {report.ActiveVersion ?? "-"}, at {report.Timestamp:O})");
        }

        return ExitCodes.Success;
    }

    /// <summary>Per wave (1-based) its device count and pooled shadow figures (null agreement without figures), for <c>--json</c>.</summary>
    private static IEnumerable<object> Waves(IReadOnlyList<DeviceRollout> devices) =>
        devices.GroupBy(d => d.Wave).OrderBy(g => g.Key).Select(g =>
        {
            var (samples, agreements) = ShadowTally.Pooled(g);
            return new { wave = g.Key + 1, devices = g.Count(), shadowSamples = samples, shadowAgreements = agreements, shadowAgreement = samples > 0 ? (double?)agreements / samples : null };
        });

    public static string Describe(DeploymentRecord deployment, IReadOnlyList<DeviceRollout> devices, IReadOnlyList<(DateTimeOffset At, string Message)> events)
    {
        var text = new System.Text.StringBuilder();
        var done = devices.Count(d => RolloutStates.IsTerminal(d.State));
        var running = deployment.State == RolloutStates.Running ? $" (wave {deployment.CurrentWave + 1} {deployment.WaveState})" : string.Empty;
        var percent = devices.Count == 0 ? 0 : 100.0 * done / devices.Count;
        text.AppendLine(CultureInfo.InvariantCulture,
            $"{deployment.Id}: {deployment.PackageName} {deployment.PackageVersion} to group {deployment.Group}: {deployment.State}{running}, {done}/{devices.Count} devices finished ({percent:F0}%)");
        if (deployment.Reason is not null)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"reason: {deployment.Reason}");
        }

        foreach (var wave in devices.GroupBy(d => d.Wave).OrderBy(g => g.Key))
        {
            var counts = string.Join(", ", wave.GroupBy(d => d.State).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Count()} {g.Key}"));
            var pooled = ShadowTally.DescribeWave(wave) is { } agreement ? $"; shadow agreement {agreement}" : string.Empty;
            text.AppendLine(CultureInfo.InvariantCulture, $"wave {wave.Key + 1} ({wave.Count()} devices): {counts}{pooled}");
            foreach (var d in wave)
            {
                var progress = d.Progress is { } p && !RolloutStates.IsTerminal(d.State) ? $" {p:F0}%" : string.Empty;
                var shadow = ShadowTally.Describe(d) is { } figures ? $" shadow {figures}" : string.Empty;
                text.AppendLine(CultureInfo.InvariantCulture, $"  {d.Device,-24} {d.State}{progress}{shadow}{(d.PreviousVersion is null ? string.Empty : $" (from {d.PreviousVersion})")}{(d.Reason is null ? string.Empty : $": {d.Reason}")}");
            }
        }

        text.AppendLine("events:");
        foreach (var (at, message) in events)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {at.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z {message}");
        }

        return text.ToString().TrimEnd();
    }
}
