using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Edge.Fleet.Monitoring;
using Edge.Fleet.Storage.Sqlite;
using Edge.Fleet.Tests.Simulation;

namespace Edge.Bench.Benchmarks.FleetScale;

/// <summary>
/// The real-agent case (unchanged from before the 10,000-device cases): N real in-process agents, each with its own
/// MQTT connection to Mosquitto on loopback, telemetry every second, fake model runner, in one child process; the
/// real edge-fleet CLI in another: telemetry ingestion over 20 s of <c>monitor</c>, then <c>deploy</c> to all N in
/// 4 waves (1,10%,50%,100%). The children meet through files in a shared folder.
/// </summary>
internal static class FleetScaleAgentsCase
{
    public static async Task<JsonObject> RunDevicesAsync(int count, string directory, int port)
    {
        OperatorKey.UseFolder(directory); // the tool's process signs with the same key
        var started = Stopwatch.StartNew();
        var settings = new SimulationSettings { TelemetryInterval = TimeSpan.FromSeconds(1), CallsPerTick = 2, OtaStepDelay = TimeSpan.FromMilliseconds(50) };
        var fleet = await SimulatedFleet.StartAsync("127.0.0.1", port, "bench", count, settings);
        var startSeconds = started.Elapsed.TotalSeconds;
        await File.WriteAllTextAsync(Path.Combine(directory, "ready"), "ready");
        while (!File.Exists(Path.Combine(directory, "done")) && started.Elapsed < TimeSpan.FromMinutes(30))
        {
            await Task.Delay(200);
        }

        var updated = fleet.Devices.Count(d => d.Runner.Version == "2.0.0");
        var maxJobs = fleet.Devices.Max(d => d.Ota.JobsReceived.Count);
        var peak = AgentBenchSupport.PeakResidentBytes(Environment.ProcessId);
        await fleet.DisposeAsync();
        return new JsonObject
        {
            ["devices"] = count,
            ["start_all_s"] = Math.Round(startSeconds, 1),
            ["devices_on_new_version"] = updated,
            ["max_jobs_received_by_one_device"] = maxJobs,
            ["simulator_peak_rss_mib"] = Math.Round(peak / 1048576.0, 1),
            ["simulator_peak_rss_per_device_kib"] = Math.Round(peak / 1024.0 / count, 1),
        };
    }

    public static async Task<JsonObject> RunToolAsync(int count, string directory, int port)
    {
        OperatorKey.UseFolder(directory);
        while (!File.Exists(Path.Combine(directory, "ready")))
        {
            await Task.Delay(200);
        }

        try
        {
            var state = Path.Combine(directory, "state.db");
            var package = Path.Combine(directory, "mnist-2.0.0.edgepkg");
            await FleetCli.WriteUnsignedPackageAsync(package);
            string[] common = ["--state", state, "--fleet", "bench", "--broker", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--job-key", OperatorKey.PrivateKeyPath];
            await FleetCli.RunAsync([.. common, "groups", "add", "all", "--selector", "model=mnist"]);

            // Ingestion: the monitor's path (parse, de-duplicate, batch into SQLite) for 20 s at 1 msg/s/device.
            var ingestSeconds = 20.0;
            var before = await RowsAsync(state);
            var monitorWatch = Stopwatch.StartNew();
            await FleetCli.RunAsync([.. common, "monitor", "--once", "--duration", $"{ingestSeconds}s"]);
            var monitorElapsed = monitorWatch.Elapsed.TotalSeconds;
            var ingested = await RowsAsync(state) - before;

            var deployWatch = Stopwatch.StartNew();
            var rowsBeforeDeploy = await RowsAsync(state);
            var (code, output) = await FleetCli.RunAsync([.. common, "deploy", package, "--group", "all", "--allow-unsigned", "--waves", "1,10%,50%,100%",
                "--max-concurrent", "100", "--soak", "5s", "--min-kpi-samples", "3", "--device-timeout", "120s"]);
            var deploySeconds = deployWatch.Elapsed.TotalSeconds;
            var rowsDuringDeploy = await RowsAsync(state) - rowsBeforeDeploy;
            var id = output.Split('\n').First(l => l.StartsWith("deployment ", StringComparison.Ordinal)).Split(' ', ':')[1];
            var (_, statusJson) = await FleetCli.RunAsync([.. common, "status", id, "--json"]);
            var statesNode = JsonNode.Parse(statusJson)!["devices"]!.AsArray();
            var states = statesNode.GroupBy(d => d!["state"]!.GetValue<string>()).ToDictionary(g => g.Key, g => g.Count());
            return new JsonObject
            {
                ["devices"] = count,
                ["ingest_window_s"] = Math.Round(monitorElapsed, 1),
                ["telemetry_records_ingested"] = ingested,
                ["telemetry_records_per_s"] = Math.Round(ingested / ingestSeconds, 1),
                ["telemetry_expected_per_s"] = count,
                ["deploy_exit_code"] = code,
                ["deploy_total_s"] = Math.Round(deploySeconds, 1),
                ["deploy_result"] = output.Split('\n').Last(l => l.StartsWith(id + ":", StringComparison.Ordinal)).Trim(),
                ["device_states"] = JsonSerializer.SerializeToNode(states),
                ["devices_stuck"] = statesNode.Count(d => d!["state"]!.GetValue<string>() is not ("succeeded" or "failed" or "rolled-back" or "timed-out" or "skipped")),
                ["telemetry_rows_per_s_during_deploy"] = Math.Round(rowsDuringDeploy / deploySeconds, 1),
                ["tool_peak_rss_mib"] = Math.Round(AgentBenchSupport.PeakResidentBytes(Environment.ProcessId) / 1048576.0, 1),
            };
        }
        finally
        {
            await File.WriteAllTextAsync(Path.Combine(directory, "done"), "done");
        }
    }

    private static async Task<long> RowsAsync(string state)
    {
        await using var database = await FleetDatabase.OpenAsync(state, CancellationToken.None);
        return await new SqliteTelemetryStore(database).CountAsync(CancellationToken.None);
    }
}
