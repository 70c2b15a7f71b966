using System.Diagnostics;
using System.Text.Json.Nodes;
using Edge.Agent.Tests.Ota.Support;
using Edge.Bench.Harness;
using Edge.Protocol.Ota;
using Edge.Sdk.Inference;

namespace Edge.Bench.Benchmarks;

/// <summary>
/// What a bench job costs the app and how well it ranks candidates. In one child: an in-process agent on Mosquitto
/// serving a small mnist variant while a thread calls it every 2 ms (an app at 500 calls/s); rounds alternate a quiet
/// window with a bench job of a candidate doing about three times the work, and compare the app's call latency in the
/// two. Then the same-work and three-times candidates' device ratios are set against the ratios of the same model
/// files timed here side by side without any agent.
/// </summary>
internal sealed class DeviceBenchBenchmark : IBenchmark
{
    private const int BenchRuns = 200;

    public string Name => "device-bench";

    public string Description => "bench jobs: the app's live p95 during a bench vs quiet windows, and device-measured ratios vs side-by-side local ratios";

    public Task<JsonObject> RunAsync(BenchContext context, CancellationToken cancellationToken) =>
        context.RunChildAsync(this, [context.Quick ? "1" : "3"], cancellationToken);

    public JsonObject RunChild(IReadOnlyList<string> arguments) =>
        RunAsync(int.Parse(arguments[0], System.Globalization.CultureInfo.InvariantCulture)).GetAwaiter().GetResult();

    private static async Task<JsonObject> RunAsync(int rounds)
    {
        using var packages = new OtaPackages();
        var v1 = await packages.BuildAsync("1.0.0", rounds: 4);
        var same = await packages.BuildAsync("2.0.0", rounds: 4);
        var heavy = await packages.BuildAsync("3.0.0", rounds: 18);
        await using var bench = await OtaBenchSupport.StartAsync(v1, packages.PublicKeyPath, packages.Root);
        var benchStarted = new Dictionary<string, long>(StringComparer.Ordinal);
        bench.States.Received += report =>
        {
            if (report.Phase == "bench")
            {
                lock (benchStarted)
                {
                    benchStarted.TryAdd(report.JobId, Stopwatch.GetTimestamp());
                }
            }
        };

        using var traffic = new PacedTraffic(bench);
        await Task.Delay(1000);
        var quiet = new List<double>();
        var during = new List<double>();
        var reportedBefore = new List<double>();
        var reportedDuring = new List<double>();
        OtaBenchResult? heavyResult = null;
        for (var round = 0; round < rounds; round++)
        {
            var quietStart = Stopwatch.GetTimestamp();
            await Task.Delay(3000);
            quiet.AddRange(traffic.Between(quietStart, Stopwatch.GetTimestamp()));

            var result = await BenchAsync(bench, heavy);
            var end = Stopwatch.GetTimestamp();
            during.AddRange(traffic.Between(benchStarted[result.JobId], end));
            heavyResult = result.Bench;
            reportedBefore.Add(result.Bench.LiveBefore?.P95Ms ?? double.NaN);
            reportedDuring.Add(result.Bench.LiveDuring?.P95Ms ?? double.NaN);
        }

        var sameResult = (await BenchAsync(bench, same)).Bench;
        var failures = traffic.Failures;
        traffic.Dispose();

        // The same model files, timed side by side here (one thread, no agent, no app).
        var folder = Directory.CreateDirectory(Path.Combine(packages.Root, "local")).FullName;
        var local = LocalRatios(OtaModels.Write(Path.Combine(folder, "v1.onnx"), 4), OtaModels.Write(Path.Combine(folder, "same.onnx"), 4), OtaModels.Write(Path.Combine(folder, "heavy.onnx"), 18));
        var quietP95 = Percentile([.. quiet], 0.95);
        var duringP95 = Percentile([.. during], 0.95);
        return new JsonObject
        {
            ["rounds"] = rounds,
            ["bench_runs_per_model"] = BenchRuns,
            ["app_call_interval_ms"] = 2,
            ["quiet_calls"] = quiet.Count,
            ["quiet_p50_ms"] = Math.Round(Percentile([.. quiet], 0.50), 4),
            ["quiet_p95_ms"] = Math.Round(quietP95, 4),
            ["during_bench_calls"] = during.Count,
            ["during_bench_p50_ms"] = Math.Round(Percentile([.. during], 0.50), 4),
            ["during_bench_p95_ms"] = Math.Round(duringP95, 4),
            ["live_p95_ratio_during_over_quiet"] = Math.Round(duringP95 / quietP95, 3),
            ["reported_live_p95_before_ms"] = new JsonArray([.. reportedBefore.Select(v => (JsonNode)Math.Round(v, 4))]),
            ["reported_live_p95_during_ms"] = new JsonArray([.. reportedDuring.Select(v => (JsonNode)Math.Round(v, 4))]),
            ["failed_app_calls"] = failures,
            ["nice"] = heavyResult?.Nice,
            ["candidate_peak_memory_bytes"] = heavyResult?.CandidatePeakMemoryBytes,
            ["device_ratio_same_work"] = sameResult.LatencyRatio,
            ["device_ratio_three_times_work"] = heavyResult?.LatencyRatio,
            ["local_ratio_same_work"] = Math.Round(local.Same, 4),
            ["local_ratio_three_times_work"] = Math.Round(local.Heavy, 4),
            ["cpu"] = heavyResult?.Hardware.CpuModel,
        };
    }

    private static async Task<(string JobId, OtaBenchResult Bench)> BenchAsync(OtaBenchSupport bench, string package)
    {
        var (job, _) = await bench.DeployAsync(package, new OtaTransfer(), new OtaHealthGate(), new OtaBenchRequest { Runs = BenchRuns, WarmupRuns = 10 });
        var final = await bench.WaitTerminalAsync(job.JobId);
        return final.Bench is { } result
            ? (job.JobId, result)
            : throw new InvalidOperationException($"Bench job {job.JobId} ended {final.State}: {final.Reason}");
    }

    private static (double Same, double Heavy) LocalRatios(string served, string same, string heavy)
    {
        var options = new EdgeSessionOptions { Provider = ExecutionProvider.Cpu, Cpu = { IntraOpThreads = 1 } };
        using var a = EdgeSession.Load(served, options);
        using var b = EdgeSession.Load(same, options);
        using var c = EdgeSession.Load(heavy, options);
        var input = new float[784];
        var output = new float[10];
        var times = new[] { new List<double>(), new List<double>(), new List<double>() };
        var sessions = new[] { a, b, c };
        for (var run = -10; run < BenchRuns; run++)
        {
            for (var k = 0; k < 3; k++)
            {
                var session = sessions[(k + run + 10) % 3];
                var start = Stopwatch.GetTimestamp();
                session.Run<float, float>(input, output);
                if (run >= 0)
                {
                    times[Array.IndexOf(sessions, session)].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                }
            }
        }

        var p50 = times.Select(t => Percentile([.. t], 0.5)).ToArray();
        return (p50[1] / p50[0], p50[2] / p50[0]);
    }

    private static double Percentile(double[] values, double p)
    {
        if (values.Length == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}
