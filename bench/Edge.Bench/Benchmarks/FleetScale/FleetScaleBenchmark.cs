using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Edge.Bench.Harness;
using Edge.TestUtilities.Mqtt;
using Edge.TestUtilities.Postgres;

namespace Edge.Bench.Benchmarks.FleetScale;

/// <summary>
/// Fleet at scale. (1) The real-agent case: N real in-process agents and the edge-fleet CLI's monitor and 4-wave
/// deploy (<see cref="FleetScaleAgentsCase"/>). (2) Ingest with 10,000 low-cost simulated devices at 1 msg/s each into
/// real <c>edge-fleet serve</c> processes: 1 and 2 instances on PostgreSQL and 1 on SQLite, each case with its own
/// broker and store, measured over a fixed window after a warm-up (<see cref="FleetScaleIngestCase"/>). (3) A 5-wave
/// rollout to the 10,000 devices with a p95 regression on the wave-3 devices that must abort it in wave 3
/// (<see cref="FleetScaleRolloutCase"/>). <c>EDGE_BENCH_FLEET_DEVICES</c> overrides the simulated device count and
/// <c>EDGE_BENCH_FLEET_CASES</c> (agents, ingest, rollout; comma-separated) picks cases, for trying things out.
/// </summary>
internal sealed class FleetScaleBenchmark : IBenchmark
{
    public string Name => "fleet-scale";

    public string Description => "edge-fleet at scale: 10,000 simulated devices at 1 msg/s into serve (PostgreSQL x1, x2, SQLite x1), a 5-wave rollout with a KPI abort in wave 3, and 500 real agents";

    public async Task<JsonObject> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var results = new JsonObject();
        var cases = (Environment.GetEnvironmentVariable("EDGE_BENCH_FLEET_CASES") ?? "agents,ingest,rollout").Split(',');
        var devices = int.TryParse(Environment.GetEnvironmentVariable("EDGE_BENCH_FLEET_DEVICES"), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n : context.Quick ? 200 : 10_000;
        var (warmup, window) = context.Quick ? (3, 10) : (10, 30);
        if (cases.Contains("agents"))
        {
            var agents = context.Quick ? 20 : 500;
            results[$"real_agents_{agents}"] = await RunAgentsAsync(context, agents, cancellationToken);
        }

        if (cases.Contains("ingest") || cases.Contains("rollout"))
        {
            await using var postgres = await PostgresServer.StartAsync(cancellationToken);
            if (cases.Contains("ingest"))
            {
                var ingest = new JsonObject();
                // EDGE_BENCH_FLEET_INGEST (postgres_1, postgres_2, sqlite_1; comma-separated) picks stores, for trying things out.
                var stores = (Environment.GetEnvironmentVariable("EDGE_BENCH_FLEET_INGEST") ?? "postgres_1,postgres_2,sqlite_1").Split(',');
                foreach (var (name, server, instances) in new[] { ("postgres_1", postgres, 1), ("postgres_2", postgres, 2), ("sqlite_1", (PostgresServer?)null, 1) })
                {
                    if (stores.Contains(name))
                    {
                        ingest[name + "_serve"] = await FleetScaleIngestCase.RunAsync(context, this, server, instances, devices, warmup, window, cancellationToken);
                    }
                }
                results[$"ingest_{devices}_devices"] = ingest;
            }

            if (cases.Contains("rollout"))
            {
                results[$"rollout_{devices}_devices"] = await FleetScaleRolloutCase.RunAsync(context, this, postgres, devices,
                    baselineSeconds: context.Quick ? 5 : 20, soakSeconds: context.Quick ? 3 : 15, cancellationToken);
            }
        }

        results["machine"] = $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}";
        return results;
    }

    public JsonObject RunChild(IReadOnlyList<string> arguments)
    {
        var a = arguments;
        return (a[0] switch
        {
            "devices" => FleetScaleAgentsCase.RunDevicesAsync(Int(a[1]), a[2], Int(a[3])),
            "tool" => FleetScaleAgentsCase.RunToolAsync(Int(a[1]), a[2], Int(a[3])),
            "ingest-sim" => IngestSimulatorChild.RunAsync(a[1], Int(a[2]), Int(a[3]), Int(a[4]), Int(a[5]), Int(a[6])),
            "ingest-measure" => IngestMeasureChild.RunAsync(a[1], a[2], [.. a[3].Split(',').Select(Int)], Int(a[4]), Int(a[5]), Int(a[6]), Int(a[7])),
            "rollout-sim" => RolloutSimulatorChild.RunAsync(a[1], Int(a[2]), Int(a[3]), a[4], double.Parse(a[5], CultureInfo.InvariantCulture), Int(a[6])),
            "rollout-tool" => RolloutToolChild.RunAsync(a[1], Int(a[2]), Int(a[3]), a[4], a[5], Int(a[6]), Int(a[7])),
            _ => throw new ArgumentException($"Unknown fleet-scale child '{a[0]}'."),
        }).GetAwaiter().GetResult();
    }

    private static int Int(string text) => int.Parse(text, CultureInfo.InvariantCulture);

    private async Task<JsonObject> RunAgentsAsync(BenchContext context, int devices, CancellationToken cancellationToken)
    {
        var loadStart = ProcFigures.LoadAverage();
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: cancellationToken);
        var directory = AgentBenchSupport.TempDirectory("fleet-scale");
        try
        {
            string[] arguments = [devices.ToString(CultureInfo.InvariantCulture), directory, broker.Port.ToString(CultureInfo.InvariantCulture)];
            var deviceSide = context.RunChildAsync(this, ["devices", .. arguments], cancellationToken);
            var toolSide = context.RunChildAsync(this, ["tool", .. arguments], cancellationToken);
            var tool = await toolSide;
            var simulated = await deviceSide;
            return new JsonObject { ["tool"] = tool, ["simulator"] = simulated, ["loadavg_start"] = loadStart, ["loadavg_end"] = ProcFigures.LoadAverage() };
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
