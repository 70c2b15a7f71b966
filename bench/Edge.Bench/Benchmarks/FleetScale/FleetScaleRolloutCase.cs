using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Edge.Bench.Harness;
using Edge.TestUtilities.Mqtt;
using Edge.TestUtilities.Postgres;

namespace Edge.Bench.Benchmarks.FleetScale;

/// <summary>
/// The rollout case: a fresh Mosquitto and PostgreSQL database, one real <c>edge-fleet serve</c> that ingests and,
/// with <c>--job-key</c>, drives the rollout, the simulated devices (<see cref="RolloutSimulatorChild"/>) and the
/// operator's <c>edge-fleet deploy --detach</c> (<see cref="RolloutToolChild"/>), each in its own process. The operator key is made here and shared
/// as files: the tool signs jobs with it and the devices verify them.
/// </summary>
internal static class FleetScaleRolloutCase
{
    public const string Waves = "1%,3%,30%,60%,100%";

    public static async Task<JsonObject> RunAsync(BenchContext context, IBenchmark benchmark, PostgresServer postgres, int devices, int baselineSeconds,
        int soakSeconds, CancellationToken cancellationToken)
    {
        var loadStart = ProcFigures.LoadAverage();
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: cancellationToken);
        var directory = AgentBenchSupport.TempDirectory("fleet-rollout");
        ServeProcess? serve = null;
        try
        {
            using (var key = ECDsa.Create(ECCurve.NamedCurves.nistP256))
            {
                await File.WriteAllTextAsync(Path.Combine(directory, "operator.key.pem"), key.ExportPkcs8PrivateKeyPem(), cancellationToken);
                await File.WriteAllTextAsync(Path.Combine(directory, "operator.pub.pem"), key.ExportSubjectPublicKeyInfoPem(), cancellationToken);
            }

            var store = "postgres:" + await postgres.CreateDatabaseAsync(cancellationToken);
            // The serve instance both ingests and drives the rollout (deploy --detach only stores it), as a fleet this
            // size is run: a foreground deploy would subscribe to every device's telemetry on its own connection.
            serve = await ServeProcess.StartAsync(store, "bench", broker.Port, "bench-1", cancellationToken,
                "--job-key", Path.Combine(directory, "operator.key.pem"), "--allow-unsigned");
            var port = broker.Port.ToString(CultureInfo.InvariantCulture);
            var connections = Math.Clamp(devices / 500, 1, 20).ToString(CultureInfo.InvariantCulture);
            var serveCpuStart = ProcFigures.CpuSeconds(serve.Id);
            var watch = Stopwatch.StartNew();
            var simulator = context.RunChildAsync(benchmark, ["rollout-sim", directory, port, Text(devices), Waves, "2.0", connections], cancellationToken);
            var tool = context.RunChildAsync(benchmark, ["rollout-tool", directory, port, Text(devices), store, Waves, Text(soakSeconds), Text(baselineSeconds)], cancellationToken);
            var toolResult = await tool;
            var simulated = await simulator;
            var serveCpu = ProcFigures.CpuSeconds(serve.Id) - serveCpuStart;
            var servePeak = ProcFigures.PeakRssMib(serve.Id);
            var seconds = watch.Elapsed.TotalSeconds;
            var exit = await serve.StopAsync();
            return new JsonObject
            {
                ["devices"] = devices,
                ["loadavg_start"] = loadStart,
                ["loadavg_end"] = ProcFigures.LoadAverage(),
                ["tool"] = toolResult,
                ["simulator"] = simulated,
                ["serve"] = new JsonObject
                {
                    ["cpu_percent_of_one_core"] = Math.Round(serveCpu / seconds * 100, 1),
                    ["peak_rss_mib"] = servePeak,
                    ["exit_code"] = exit,
                },
            };
        }
        finally
        {
            if (serve is not null)
            {
                await serve.DisposeAsync();
            }

            Directory.Delete(directory, recursive: true);
        }
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
