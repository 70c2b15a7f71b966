using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Edge.Agent.Ota.Shadow;
using Edge.Agent.Tests.Ota.Support;
using Edge.Bench.Harness;
using Edge.Sdk.Inference;

namespace Edge.Bench.Benchmarks;

/// <summary>
/// What shadow evaluation costs the app. In one child: a served mnist variant (the OTA tests' model with four extra
/// MatMul rounds) in a ModelHost called every 2 ms from an app thread (500 calls/s); after a warm-up, rounds alternate
/// a window with the shadow off and a window with a ShadowRun at 10% sampling (the agent's code: the tap on the host,
/// the bounded queue, the worker at nice 10 running a same-work candidate and comparing answers), the order swapped
/// every round. The app's p95 in the two kinds of window is compared; the machine's load average goes into the JSON.
/// </summary>
internal sealed class ShadowCostBenchmark : IBenchmark
{
    private const double Fraction = 0.1;
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(4);

    public string Name => "shadow-cost";

    public string Description => "shadow evaluation: the app's call p95 with the shadow off vs at 10% sampling, side by side";

    public Task<JsonObject> RunAsync(BenchContext context, CancellationToken cancellationToken) =>
        context.RunChildAsync(this, [context.Quick ? "2" : "6"], cancellationToken);

    public JsonObject RunChild(IReadOnlyList<string> arguments) =>
        RunAsync(int.Parse(arguments[0], CultureInfo.InvariantCulture)).GetAwaiter().GetResult();

    private static async Task<JsonObject> RunAsync(int rounds)
    {
        var loadBefore = FleetScale.ProcFigures.LoadAverageLine();
        var folder = Directory.CreateTempSubdirectory("edge-shadow-cost-").FullName;
        try
        {
            var served = OtaModels.Write(Path.Combine(folder, "served.onnx"), 4);
            var candidate = OtaModels.Write(Path.Combine(folder, "candidate.onnx"), 4);
            using var host = new ModelHost(EdgeSession.Load(served, Options("mnist", "1.0.0")));
            using var traffic = new PacedTraffic(() => host);
            await Task.Delay(2000);

            var off = new List<double>();
            var on = new List<double>();
            long samples = 0, sampled = 0, dropped = 0, agreements = 0;
            for (var round = 0; round < rounds; round++)
            {
                for (var half = 0; half < 2; half++)
                {
                    if ((round + half) % 2 == 0)
                    {
                        var start = Stopwatch.GetTimestamp();
                        await Task.Delay(Window);
                        off.AddRange(traffic.Between(start, Stopwatch.GetTimestamp()));
                        continue;
                    }

                    using var run = await ShadowRun.StartAsync(host, "mnist", "1.0.0", Fraction, 8, () => EdgeSession.Load(candidate, Options("mnist.shadow", "2.0.0")), 0.01, null, CancellationToken.None);
                    var from = Stopwatch.GetTimestamp();
                    await Task.Delay(Window);
                    on.AddRange(traffic.Between(from, Stopwatch.GetTimestamp()));
                    var progress = run.Snapshot(Window.TotalSeconds);
                    (samples, sampled, dropped, agreements) = (samples + progress.Samples, sampled + progress.Sampled, dropped + progress.Dropped, agreements + progress.Agreements);
                }
            }

            var failures = traffic.Failures;
            var offP95 = PacedTraffic.Percentile(off, 0.95);
            var onP95 = PacedTraffic.Percentile(on, 0.95);
            return new JsonObject
            {
                ["rounds"] = rounds,
                ["window_s"] = Window.TotalSeconds,
                ["sample_fraction"] = Fraction,
                ["app_call_interval_ms"] = 2,
                ["off_calls"] = off.Count,
                ["off_p50_ms"] = Math.Round(PacedTraffic.Percentile(off, 0.50), 4),
                ["off_p95_ms"] = Math.Round(offP95, 4),
                ["shadow_calls"] = on.Count,
                ["shadow_p50_ms"] = Math.Round(PacedTraffic.Percentile(on, 0.50), 4),
                ["shadow_p95_ms"] = Math.Round(onP95, 4),
                ["app_p95_ratio_shadow_over_off"] = Math.Round(onP95 / offP95, 4),
                ["shadow_samples_compared"] = samples,
                ["shadow_sampled"] = sampled,
                ["shadow_dropped"] = dropped,
                ["shadow_agreements"] = agreements,
                ["failed_app_calls"] = failures,
                ["processors"] = Environment.ProcessorCount,
                ["load_average_before"] = loadBefore,
                ["load_average_after"] = FleetScale.ProcFigures.LoadAverageLine(),
            };
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static EdgeSessionOptions Options(string name, string version) =>
        new() { Provider = ExecutionProvider.Cpu, Cpu = { IntraOpThreads = 1 }, ModelName = name, ModelVersion = version };
}
