using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Edge.Fleet.Bench;
using Edge.Packaging;

namespace Edge.Fleet.Cli.Commands;

/// <summary>
/// <c>edge-fleet bench PKG --device D | --group G</c>: measures a signed package on devices without installing it
/// (bench jobs, docs/ota.md). With a group, one online device per hardware class is measured. Prints one line per
/// device; exit 0 when every device measured, 3 when one failed or did not answer in time.
/// </summary>
internal static class BenchCommand
{
    public static Command Create(CliContext context, TimeProvider time)
    {
        var package = new Argument<string>("package") { Description = "The signed .edgepkg to measure." };
        var device = new Option<string?>("--device") { Description = "Measure on this device." };
        var group = new Option<string?>("--group") { Description = "Measure on one online device per hardware class of this group." };
        var runs = new Option<int>("--runs") { Description = "Timed runs per model (default 100).", DefaultValueFactory = _ => 100 };
        var warmup = new Option<int>("--warmup") { Description = "Untimed runs per model first (default 10).", DefaultValueFactory = _ => 10 };
        var maxSeconds = new Option<double>("--max-seconds") { Description = "Time bound of the timed runs on the device (default 120).", DefaultValueFactory = _ => 120 };
        var timeout = new Option<string>("--timeout") { Description = "Give up on a device without a result after this (default 10m).", DefaultValueFactory = _ => "10m" };
        var json = new Option<string?>("--json") { Description = "Also write the results as JSON (schema edge.device-bench/v1) to this file." };
        var command = new Command(
            "bench",
            "Measures a signed package on devices without installing it: each device times it beside the model it serves, with its own "
            + "execution provider and threads, at lowered priority, and deletes it afterwards.")
        {
            package, device, group, runs, warmup, maxSeconds, timeout, json, PackageTrustOptions.Trust,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if ((parse.GetValue(device) is null) == (parse.GetValue(group) is null))
            {
                throw new CliUsageException("Give exactly one of --device and --group.");
            }

            var request = new OtaBenchRequest { Runs = parse.GetValue(runs), WarmupRuns = parse.GetValue(warmup), MaxSeconds = parse.GetValue(maxSeconds) };
            var errors = OtaJobValidator.Validate(request)
                .Select(e => e.Replace("bench.runs", "--runs", StringComparison.Ordinal).Replace("bench.warmupRuns", "--warmup", StringComparison.Ordinal).Replace("bench.maxSeconds", "--max-seconds", StringComparison.Ordinal))
                .ToList();
            CliUsageException.ThrowIfAny(errors);
            var limit = FleetCommandOptions.Duration(parse.GetValue(timeout)!, "--timeout");
            if (limit <= TimeSpan.Zero)
            {
                throw new CliUsageException($"--timeout must be longer than 0, but was '{parse.GetValue(timeout)}'; for example 10m.");
            }

            var keys = parse.GetValue(PackageTrustOptions.Trust) ?? [];
            if (keys.Length == 0)
            {
                throw new CliUsageException("--trust KEY.pem is required: a bench only sends signed packages, checked before they leave.");
            }

            var fleet = FleetCommandOptions.FleetId(parse);
            var path = Path.GetFullPath(parse.GetValue(package)!);
            var trust = await PackageTrust.FromPemFilesAsync(keys, cancellationToken);
            var signer = await FleetCommandOptions.JobSignerAsync(parse, cancellationToken);
            await using var client = await DeviceBenchClient.ConnectAsync(FleetCommandOptions.BrokerOptions(parse), fleet, signer, trust, time, cancellationToken);
            client.Progress += report => context.Error.WriteLine($"edge-fleet: {SingleJob.Describe(report)}");
            var targets = parse.GetValue(device) is { } one ? [one] : await GroupTargetsAsync(context, parse, client, parse.GetValue(group)!, cancellationToken);
            var outcomes = new List<DeviceBenchOutcome>();
            foreach (var target in targets)
            {
                var outcome = await client.MeasureAsync(path, target, request, limit, cancellationToken);
                outcomes.Add(outcome);
                await context.Output.WriteLineAsync(Describe(outcome));
            }

            if (parse.GetValue(json) is { } file)
            {
                await File.WriteAllTextAsync(file, JsonSerializer.Serialize(new DeviceBenchReport { Package = path, Outcomes = outcomes }, DeviceBenchJsonContext.Default.DeviceBenchReport), cancellationToken);
            }

            return outcomes.All(o => o.Result is not null) ? ExitCodes.Success : ExitCodes.GoalNotMet;
        });
        return command;
    }

    private static async Task<IReadOnlyList<string>> GroupTargetsAsync(CliContext context, ParseResult parse, DeviceBenchClient client, string group, CancellationToken cancellationToken)
    {
        var targets = await client.GroupTargetsAsync(group, FleetCommandOptions.StoreSpec(parse), cancellationToken);
        foreach (var line in targets.Skipped)
        {
            await context.Error.WriteLineAsync($"edge-fleet: not measured: {line}");
        }

        if (targets.Devices.Count == 0)
        {
            throw new CliUsageException($"Group '{group}' has no online device that reports its hardware class ({targets.Members} member(s)); nothing to measure on.");
        }

        await context.Output.WriteLineAsync($"group {group}: {targets.Members} member(s), {targets.Devices.Count} hardware class(es): measuring on {string.Join(", ", targets.Devices)}");
        return targets.Devices;
    }

    internal static string Describe(DeviceBenchOutcome outcome)
    {
        if (outcome.Result is not { } r)
        {
            return $"{outcome.Device}: not measured: {outcome.Problem}";
        }

        var serving = r.Serving is { } s ? string.Create(CultureInfo.InvariantCulture, $"; served {s.Model.Name} {s.Model.Version} p50 {s.P50Ms:F3} ms p95 {s.P95Ms:F3} ms; ratio {r.LatencyRatio:F3}") : "; no served model to compare with";
        var live = r.LiveDuring is { P95Ms: { } during } ? string.Create(CultureInfo.InvariantCulture, $"; live p95 {r.LiveBefore?.P95Ms?.ToString("F3", CultureInfo.InvariantCulture) ?? "-"} -> {during:F3} ms over {r.LiveDuring.Calls} calls") : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"{outcome.Device} [{r.Hardware.CpuModel}, {r.Provider}, {r.Threads} thread(s)]: {r.Candidate.Model.Name} {r.Candidate.Model.Version} p50 {r.Candidate.P50Ms:F3} ms p95 {r.Candidate.P95Ms:F3} ms over {r.Candidate.Runs} runs{serving}; memory +{r.CandidatePeakMemoryBytes / 1048576.0:F1} MiB{live}{(r.Truncated ? "; stopped at the time bound" : "")}");
    }
}
