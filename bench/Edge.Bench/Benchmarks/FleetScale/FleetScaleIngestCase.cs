using System.Globalization;
using System.Text.Json.Nodes;
using Edge.Bench.Harness;
using Edge.TestUtilities.Mqtt;
using Edge.TestUtilities.Postgres;

namespace Edge.Bench.Benchmarks.FleetScale;

/// <summary>
/// One ingest case, orchestrated from the parent: a fresh Mosquitto, a fresh store (a new database on the shared
/// PostgreSQL server, or a new SQLite file), N real <c>edge-fleet serve</c> processes on it (same share group,
/// distinct <c>--instance</c>), then the simulator and the measurer as two child processes side by side.
/// </summary>
internal static class FleetScaleIngestCase
{
    public static async Task<JsonObject> RunAsync(BenchContext context, IBenchmark benchmark, PostgresServer? postgres, int instances,
        int devices, int warmupSeconds, int windowSeconds, CancellationToken cancellationToken)
    {
        var loadStart = ProcFigures.LoadAverage();
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: cancellationToken);
        var directory = AgentBenchSupport.TempDirectory("fleet-ingest");
        var serves = new List<ServeProcess>();
        try
        {
            var store = postgres is null ? "sqlite:" + Path.Combine(directory, "state.db") : "postgres:" + await postgres.CreateDatabaseAsync(cancellationToken);
            for (var i = 1; i <= instances; i++)
            {
                serves.Add(await ServeProcess.StartAsync(store, "bench", broker.Port, $"bench-{i}", cancellationToken));
            }

            var brokerPid = ProcFigures.FindPid(broker.Directory);
            var postgresPid = postgres is null ? 0 : ProcFigures.FindPid(postgres.Directory + "/data");
            var connections = Math.Clamp(devices / 500, 1, 20);
            var probeEvery = Math.Max(1, devices / 100);
            var port = broker.Port.ToString(CultureInfo.InvariantCulture);
            var simulator = context.RunChildAsync(benchmark,
                ["ingest-sim", directory, port, Text(devices), Text(warmupSeconds), Text(windowSeconds), Text(connections)], cancellationToken);
            var measurer = context.RunChildAsync(benchmark,
                ["ingest-measure", directory, store, string.Join(',', serves.Select(s => s.Id)), Text(brokerPid), Text(postgresPid), Text(devices), Text(probeEvery)], cancellationToken);
            var measured = await measurer;
            var simulated = await simulator;
            var exitCodes = new JsonArray();
            var warnings = new JsonArray();
            foreach (var serve in serves)
            {
                exitCodes.Add(await serve.StopAsync());

                // What serve itself said went wrong (a failed batch, a broker drop), for reading a bad figure.
                foreach (var line in serve.Log.Split('\n').Where(l => l.Contains("warn", StringComparison.OrdinalIgnoreCase) || l.Contains("fail", StringComparison.OrdinalIgnoreCase)).Take(5))
                {
                    warnings.Add(line.Trim());
                }
            }

            return new JsonObject
            {
                ["store"] = postgres is null ? "sqlite" : "postgres",
                ["serve_warnings"] = warnings,
                ["serve_instances"] = instances,
                ["devices"] = devices,
                ["warmup_s"] = warmupSeconds,
                ["window_s"] = windowSeconds,
                ["loadavg_start"] = loadStart,
                ["loadavg_end"] = ProcFigures.LoadAverage(),
                ["simulator"] = simulated,
                ["measured"] = measured,
                ["serve_exit_codes"] = exitCodes,
            };
        }
        finally
        {
            foreach (var serve in serves)
            {
                await serve.DisposeAsync();
            }

            Directory.Delete(directory, recursive: true);
        }
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
