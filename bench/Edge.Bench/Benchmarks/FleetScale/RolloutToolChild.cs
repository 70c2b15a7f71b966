using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Edge.Bench.Benchmarks.FleetScale;

/// <summary>
/// The operator's side of the rollout case, in its own process: once the devices are up and
/// <c>baselineSeconds</c> of telemetry are stored, <c>edge-fleet deploy --group all --waves ... --detach</c> with a
/// 20 % p95 regression abort, which the serve instance drives, then <c>status --json</c> once a second until it ended. Wave times come from the deployment's stored events:
/// a wave starts at the deployment's creation (wave 1) or its "wave N started" event, its devices are done at
/// "wave N: ... soaking", and it is judged at "KPIs within limits" or "aborted on".
/// </summary>
internal static partial class RolloutToolChild
{
    public static async Task<JsonObject> RunAsync(string directory, int port, int devices, string store, string waves, int soakSeconds, int baselineSeconds)
    {
        try
        {
            await IngestSimulatorChild.WaitForFileAsync(Path.Combine(directory, "ready"), TimeSpan.FromMinutes(10));
            var package = Path.Combine(directory, "mnist-2.0.0.edgepkg");
            await FleetCli.WriteUnsignedPackageAsync(package);
            string[] common = ["--store", store, "--fleet", "bench", "--broker", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture),
                "--job-key", Path.Combine(directory, "operator.key.pem")];
            await FleetCli.RunAsync([.. common, "groups", "add", "all", "--selector", "model=mnist"]);
            await Task.Delay(TimeSpan.FromSeconds(baselineSeconds));

            var cpuStart = ProcFigures.CpuSeconds(Environment.ProcessId);
            var watch = Stopwatch.StartNew();
            var (code, output) = await FleetCli.RunAsync([.. common, "deploy", package, "--group", "all", "--allow-unsigned", "--waves", waves,
                "--max-concurrent", "1000", "--soak", $"{soakSeconds}s", "--min-kpi-samples", "3", "--device-timeout", "120s",
                "--abort-latency-p95-regression", "20%", "--detach"]);
            var id = output.Split('\n').First(l => l.StartsWith("deployment ", StringComparison.Ordinal)).Split(' ', ':')[1];

            // serve drives it; the deployment is over when it left running and its lease was given up.
            JsonNode status;
            while (true)
            {
                var (_, statusJson) = await FleetCli.RunAsync([.. common, "status", id, "--json"]);
                status = JsonNode.Parse(statusJson)!;
                if (status["deployment"]!["state"]!.GetValue<string>() is not ("running" or "paused") && status["deployment"]!["leaseOwner"] is null
                    || watch.Elapsed > TimeSpan.FromMinutes(20))
                {
                    break;
                }

                await Task.Delay(TimeSpan.FromSeconds(1));
            }

            var deploySeconds = watch.Elapsed.TotalSeconds;
            var cpu = ProcFigures.CpuSeconds(Environment.ProcessId) - cpuStart;
            var rollouts = status["devices"]!.AsArray();
            var states = rollouts.GroupBy(d => d!["state"]!.GetValue<string>()).ToDictionary(g => g.Key, g => g.Count());
            return new JsonObject
            {
                ["waves_option"] = waves,
                ["soak_s"] = soakSeconds,
                ["baseline_telemetry_before_deploy_s"] = baselineSeconds,
                ["deploy_exit_code"] = code,
                ["rollout_total_s"] = Math.Round(deploySeconds, 1),
                ["deployment_state"] = status["deployment"]!["state"]!.GetValue<string>(),
                ["deployment_reason"] = status["deployment"]!["reason"]?.GetValue<string>(),
                ["waves"] = Waves(status, rollouts),
                ["device_states"] = JsonSerializer.SerializeToNode(states),
                ["devices_stuck"] = rollouts.Count(d => d!["state"]!.GetValue<string>() is not ("succeeded" or "failed" or "rolled-back" or "timed-out" or "skipped")),
                ["operator_cpu_percent_of_one_core"] = Math.Round(cpu / deploySeconds * 100, 1),
                ["tool_peak_rss_mib"] = ProcFigures.PeakRssMib(Environment.ProcessId),
            };
        }
        finally
        {
            await File.WriteAllTextAsync(Path.Combine(directory, "done"), "done");
        }
    }

    private static JsonArray Waves(JsonNode status, JsonArray rollouts)
    {
        var created = status["deployment"]!["created"]!.GetValue<DateTimeOffset>();
        var events = status["events"]!.AsArray().Select(e => (At: e!["at"]!.GetValue<DateTimeOffset>(), Message: e["message"]!.GetValue<string>())).ToArray();
        var result = new JsonArray();
        var waveCount = rollouts.Max(d => d!["wave"]!.GetValue<int>()) + 1;
        for (var wave = 1; wave <= waveCount; wave++)
        {
            var prefix = $"wave {wave}:";
            DateTimeOffset? start = wave == 1 ? created : events.FirstOrDefault(e => e.Message == $"wave {wave} started").At is { } s && s != default ? s : null;
            var done = events.FirstOrDefault(e => e.Message.StartsWith(prefix, StringComparison.Ordinal) && e.Message.Contains("soaking", StringComparison.Ordinal));
            var judged = events.FirstOrDefault(e => (e.Message.StartsWith(prefix + " KPIs", StringComparison.Ordinal) || e.Message.StartsWith("aborted on", StringComparison.Ordinal))
                && (e.Message.StartsWith(prefix, StringComparison.Ordinal) || WaveOf(e.Message) == wave));
            var members = rollouts.Where(d => d!["wave"]!.GetValue<int>() == wave - 1).ToArray();
            result.Add(new JsonObject
            {
                ["wave"] = wave,
                ["devices"] = members.Length,
                ["states"] = JsonSerializer.SerializeToNode(members.GroupBy(d => d!["state"]!.GetValue<string>()).ToDictionary(g => g.Key, g => g.Count())),
                ["started_after_s"] = start is { } st ? Math.Round((st - created).TotalSeconds, 1) : null,
                ["devices_done_s"] = start is { } a && done.Message is not null ? Math.Round((done.At - a).TotalSeconds, 1) : null,
                ["judged_s"] = start is { } b && judged.Message is not null ? Math.Round((judged.At - b).TotalSeconds, 1) : null,
                ["judgement"] = judged.Message,
            });
        }

        return result;
    }

    private static int? WaveOf(string message) =>
        AfterWave().Match(message) is { Success: true } m ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : null;

    [GeneratedRegex(@"after wave (\d+)")]
    private static partial Regex AfterWave();
}
