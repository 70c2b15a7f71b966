using System.Diagnostics;
using System.Text.Json.Nodes;
using Edge.Agent.Tests.Ota.Support;
using Edge.Bench.Harness;
using Edge.Protocol.Ota;
using Edge.Sdk.Inference;

namespace Edge.Bench.Benchmarks;

/// <summary>
/// Time from job to switched, and inference latency during the swap. In one child: an in-process agent on Mosquitto
/// serving a 1 MB mnist variant (the swap jobs install a 33 MB one); (1) five jobs, each timed from publication until the served model's version changes
/// (polled every 0.2 ms), with the stage times from the device's reports; (2) three jobs while a thread runs inference
/// back to back through the live ModelHost, comparing the slowest call in the swap window (from the activating
/// report until 100 ms after the switch) with the steady state before the job and with the time to load the new model.
/// </summary>
internal sealed class OtaSwitchBenchmark : IBenchmark
{
    private const long SwapPaddingBytes = 32L * 1024 * 1024;

    public string Name => "ota-switch";

    public string Description => "OTA job-to-switched time and inference latency during the hot swap vs steady state and model load time";

    public Task<JsonObject> RunAsync(BenchContext context, CancellationToken cancellationToken) =>
        context.RunChildAsync(this, [context.Quick ? "2" : "5", context.Quick ? "1" : "3"], cancellationToken);

    public JsonObject RunChild(IReadOnlyList<string> arguments) =>
        RunAsync(int.Parse(arguments[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(arguments[1], System.Globalization.CultureInfo.InvariantCulture)).GetAwaiter().GetResult();

    private static async Task<JsonObject> RunAsync(int switchJobs, int swapJobs)
    {
        using var packages = new OtaPackages();
        var v1 = await packages.BuildAsync("1.0.0", rounds: 4);
        await using var bench = await OtaBenchSupport.StartAsync(v1, packages.PublicKeyPath, packages.Root);
        var gate = new OtaHealthGate { LatencyRuns = 60, WatchWindowSeconds = 0.5, MaxLatencyRatio = 2 };
        var version = 1;

        var switched = new List<double>();
        var stages = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        for (var i = 0; i < switchJobs; i++)
        {
            var package = await packages.BuildAsync($"{++version}.0.0", rounds: 4);
            var target = $"{version}.0.0";
            var (job, clock) = await bench.DeployAsync(package, new OtaTransfer(), gate);
            while (bench.Model.Version != target)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(0.2));
                if (clock.Elapsed > TimeSpan.FromMinutes(2))
                {
                    throw new TimeoutException($"Job {job.JobId} did not switch within 2 minutes.");
                }
            }

            switched.Add(clock.Elapsed.TotalMilliseconds);
            var final = await bench.WaitTerminalAsync(job.JobId);
            if (final.State != OtaJobStates.Succeeded)
            {
                throw new InvalidOperationException($"Job {job.JobId} ended {final.State}: {final.Reason}");
            }

            var reports = bench.States.History.Where(r => r.JobId == job.JobId).ToList();
            AddStage(stages, "queued_to_downloaded_ms", reports, OtaJobStates.Queued, OtaJobStates.Verifying);
            AddStage(stages, "verify_and_stage_ms", reports, OtaJobStates.Verifying, OtaJobStates.HealthChecking);
            AddStage(stages, "health_gate_ms", reports, OtaJobStates.HealthChecking, OtaJobStates.Activating);
        }

        var swap = new JsonArray();
        for (var i = 0; i < swapJobs; i++)
        {
            // 32 MB of weights make loading slow enough (tens of ms) that a stall of that size would stand out.
            var package = await packages.BuildAsync($"{++version}.0.0", rounds: 4, paddingBytes: SwapPaddingBytes);
            swap.Add(await MeasureSwapAsync(bench, package, $"{version}.0.0", gate));
        }

        var result = new JsonObject
        {
            ["package_bytes"] = new FileInfo(v1).Length,
            ["jobs"] = switchJobs,
            ["job_to_switched_ms_median"] = Math.Round(Median(switched), 1),
            ["job_to_switched_ms"] = new JsonArray([.. switched.Select(v => (JsonNode)Math.Round(v, 1))]),
            ["swap_jobs"] = swap,
        };
        foreach (var (name, values) in stages)
        {
            result[name + "_median"] = Math.Round(Median(values), 1);
        }

        return result;
    }

    private static async Task<JsonObject> MeasureSwapAsync(OtaBenchSupport bench, string package, string target, OtaHealthGate gate)
    {
        // Load time of the new model, measured alone beforehand, is the stall a swap without a host would cause.
        var loads = new List<double>();
        // The package holds exactly this model (same generator, same seed).
        var extracted = OtaModels.Write(Path.Combine(bench.Folder, $"load-{target}.onnx"), rounds: 4, paddingBytes: SwapPaddingBytes);
        for (var i = 0; i < 3; i++)
        {
            var clock = Stopwatch.StartNew();
            using var session = EdgeSession.Load(extracted, new EdgeSessionOptions { Provider = ExecutionProvider.Cpu, Cpu = { IntraOpThreads = 1 } });
            loads.Add(clock.Elapsed.TotalMilliseconds);
        }

        var calls = new List<(long Start, double Ms, string Version)>(1 << 20);
        var failures = 0;
        var stop = false;
        var traffic = new Thread(() =>
        {
            var input = new float[784];
            var output = new float[10];
            while (!Volatile.Read(ref stop))
            {
                var start = Stopwatch.GetTimestamp();
                try
                {
                    bench.Model.Host!.Run<float, float>(input, output);
                    calls.Add((start, Stopwatch.GetElapsedTime(start).TotalMilliseconds, bench.Model.Version ?? ""));
                }
                catch (Exception)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        }) { IsBackground = true };
        traffic.Start();
        await Task.Delay(1000);
        var jobStart = Stopwatch.GetTimestamp();
        var (job, jobClock) = await bench.DeployAsync(package, new OtaTransfer(), gate);
        var activatingMs = await bench.WaitForStateMsAsync(job.JobId, OtaJobStates.Activating, jobClock);
        var activating = jobStart + (long)(activatingMs / 1000 * Stopwatch.Frequency);
        while (bench.Model.Version != target)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(0.2));
        }

        var switchedAt = Stopwatch.GetTimestamp();
        await Task.Delay(100);
        var windowEnd = Stopwatch.GetTimestamp();
        await bench.WaitTerminalAsync(job.JobId);
        Volatile.Write(ref stop, true);
        traffic.Join();

        var steady = calls.Where(c => c.Start < jobStart).Select(c => c.Ms).ToArray();
        var window = calls.Where(c => c.Start >= activating && c.Start <= windowEnd).Select(c => c.Ms).ToArray();
        return new JsonObject
        {
            ["steady_calls"] = steady.Length,
            ["steady_p50_ms"] = Math.Round(Percentile(steady, 0.50), 3),
            ["steady_p99_ms"] = Math.Round(Percentile(steady, 0.99), 3),
            ["steady_max_ms"] = Math.Round(steady.Max(), 3),
            ["swap_window_ms"] = Math.Round(Stopwatch.GetElapsedTime(activating, windowEnd).TotalMilliseconds, 1),
            ["activating_to_switched_ms"] = Math.Round(Stopwatch.GetElapsedTime(activating, switchedAt).TotalMilliseconds, 1),
            ["swap_window_calls"] = window.Length,
            ["swap_window_p50_ms"] = Math.Round(Percentile(window, 0.50), 3),
            ["swap_window_p99_ms"] = Math.Round(Percentile(window, 0.99), 3),
            ["swap_window_max_ms"] = Math.Round(window.Length == 0 ? 0 : window.Max(), 3),
            ["new_model_load_ms_median"] = Math.Round(Median(loads), 1),
            ["swap_window_max_over_load"] = Math.Round((window.Length == 0 ? 0 : window.Max()) / Median(loads), 3),
            ["failed_calls"] = failures,
        };
    }

    private static void AddStage(Dictionary<string, List<double>> stages, string name, List<OtaJobStateReport> reports, string from, string to)
    {
        var start = reports.FirstOrDefault(r => r.State == from);
        var end = reports.FirstOrDefault(r => r.State == to);
        if (start is not null && end is not null)
        {
            if (!stages.TryGetValue(name, out var list))
            {
                stages[name] = list = [];
            }

            list.Add((end.Timestamp - start.Timestamp).TotalMilliseconds);
        }
    }

    private static double Median(List<double> values) => Percentile([.. values], 0.5);

    private static double Percentile(double[] values, double fraction)
    {
        if (values.Length == 0)
        {
            return 0;
        }

        var sorted = values.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}
