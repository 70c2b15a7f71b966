using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Edge.Bench.Harness;
using Edge.Fleet.Cli;
using Edge.Fleet.Monitoring;
using Edge.Fleet.Storage.Sqlite;
using Edge.Fleet.Tests.Simulation;
using Edge.Packaging;
using Edge.TestUtilities;
using Edge.TestUtilities.Mqtt;

namespace Edge.Bench.Benchmarks;

/// <summary>
/// Fleet at scale: N simulated devices (real in-process agents, each with its own MQTT connection to Mosquitto on
/// loopback, telemetry every second, fake model runner) in one child process, and the real edge-fleet CLI in another:
/// telemetry ingestion over 20 s of <c>monitor</c>, then <c>deploy</c> to all N in 4 waves (1,10%,50%,100%). The
/// children meet through files in a shared folder. Reports total time, final device states (none stuck), the tool's
/// peak RSS and the ingested records per second (during the deploy, rows: a sample spanning the switch holds both versions).
/// </summary>
internal sealed class FleetScaleBenchmark : IBenchmark
{
    public string Name => "fleet-scale";

    public string Description => "edge-fleet with N simulated devices on Mosquitto: ingestion rate at 1 msg/s/device, 4-wave deploy time, peak memory";

    public async Task<JsonObject> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var results = new JsonObject();
        foreach (var devices in context.Quick ? new[] { 20 } : [50, 500])
        {
            await using var broker = await MosquittoBroker.StartAsync(cancellationToken: cancellationToken);
            var directory = AgentBenchSupport.TempDirectory("fleet-scale");
            try
            {
                string[] arguments = [devices.ToString(CultureInfo.InvariantCulture), directory, broker.Port.ToString(CultureInfo.InvariantCulture)];
                var deviceSide = context.RunChildAsync(this, ["devices", .. arguments], cancellationToken);
                var toolSide = context.RunChildAsync(this, ["tool", .. arguments], cancellationToken);
                var tool = await toolSide;
                var simulated = await deviceSide;
                results[$"devices_{devices}"] = new JsonObject { ["tool"] = tool, ["simulator"] = simulated };
            }
            finally
            {
                Directory.Delete(directory, recursive: true);
            }
        }

        results["machine"] = $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}";
        return results;
    }

    public JsonObject RunChild(IReadOnlyList<string> arguments)
    {
        var devices = int.Parse(arguments[1], CultureInfo.InvariantCulture);
        var port = int.Parse(arguments[3], CultureInfo.InvariantCulture);
        return arguments[0] == "devices"
            ? RunDevicesAsync(devices, arguments[2], port).GetAwaiter().GetResult()
            : RunToolAsync(devices, arguments[2], port).GetAwaiter().GetResult();
    }

    private static async Task<JsonObject> RunDevicesAsync(int count, string directory, int port)
    {
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

    private static async Task<JsonObject> RunToolAsync(int count, string directory, int port)
    {
        while (!File.Exists(Path.Combine(directory, "ready")))
        {
            await Task.Delay(200);
        }

        try
        {
            var state = Path.Combine(directory, "state.db");
            var package = Path.Combine(directory, "mnist-2.0.0.edgepkg");
            await WriteUnsignedPackageAsync(package);
            string[] common = ["--state", state, "--fleet", "bench", "--broker", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--job-key", OperatorKey.PrivateKeyPath];
            await CliAsync([.. common, "groups", "add", "all", "--selector", "model=mnist"]);

            // Ingestion: the monitor's path (parse, de-duplicate, batch into SQLite) for 20 s at 1 msg/s/device.
            var ingestSeconds = 20.0;
            var before = await RowsAsync(state);
            var monitorWatch = Stopwatch.StartNew();
            await CliAsync([.. common, "monitor", "--once", "--duration", $"{ingestSeconds}s"]);
            var monitorElapsed = monitorWatch.Elapsed.TotalSeconds;
            var ingested = await RowsAsync(state) - before;

            var deployWatch = Stopwatch.StartNew();
            var rowsBeforeDeploy = await RowsAsync(state);
            var (code, output) = await CliAsync([.. common, "deploy", package, "--group", "all", "--allow-unsigned", "--waves", "1,10%,50%,100%",
                "--max-concurrent", "100", "--soak", "5s", "--min-kpi-samples", "3", "--device-timeout", "120s"]);
            var deploySeconds = deployWatch.Elapsed.TotalSeconds;
            var rowsDuringDeploy = await RowsAsync(state) - rowsBeforeDeploy;
            var id = output.Split('\n').First(l => l.StartsWith("deployment ", StringComparison.Ordinal)).Split(' ', ':')[1];
            var (_, statusJson) = await CliAsync([.. common, "status", id, "--json"]);
            var statesNode = JsonNode.Parse(statusJson)!["devices"]!.AsArray();
            var states = statesNode.GroupBy(d => d!["state"]!.GetValue<string>()).ToDictionary(g => g.Key, g => g.Count());
            var result = new JsonObject
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
            return result;
        }
        finally
        {
            await File.WriteAllTextAsync(Path.Combine(directory, "done"), "done");
        }
    }

    private static async Task<(int Code, string Output)> CliAsync(string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await EdgeFleetCli.RunAsync(args, output, error);
        if (code is not (0 or 3))
        {
            throw new InvalidOperationException($"edge-fleet {string.Join(' ', args)} exited {code}: {error}");
        }

        return (code, output.ToString());
    }

    private static async Task<long> RowsAsync(string state)
    {
        await using var database = await FleetDatabase.OpenAsync(state, CancellationToken.None);
        return await new SqliteTelemetryStore(database).CountAsync(CancellationToken.None);
    }

    private static Task<PackageManifest> WriteUnsignedPackageAsync(string path) =>
        PackageWriter.WriteAsync(path, files => new PackageManifest
        {
            FormatVersion = PackageManifest.CurrentFormatVersion,
            Name = "mnist",
            Version = "2.0.0",
            CreatedUtc = new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero),
            Tool = new PackageTool { Name = "edge-bench", Version = "0.1.0" },
            Target = new PackageTarget { Architectures = [RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant()], ExecutionProviders = ["cpu"], MinimumSdkVersion = "0.1.0" },
            Files = files,
            Inputs = [new PackageTensorSignature { Name = "Input3", ElementType = "float32", Shape = [PackageDimension.Fixed(1), PackageDimension.Fixed(1), PackageDimension.Fixed(28), PackageDimension.Fixed(28)] }],
            Outputs = [new PackageTensorSignature { Name = "Plus214_Output_0", ElementType = "float32", Shape = [PackageDimension.Fixed(1), PackageDimension.Fixed(10)] }],
        }, [new PackageSourceFile("model/mnist.onnx", TestData.File("models/mnist/mnist.onnx"), PackageFileRole.Model)], [], CancellationToken.None);
}
