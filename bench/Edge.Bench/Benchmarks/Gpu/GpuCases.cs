using System.Diagnostics;
using System.Text.Json.Nodes;
using Edge.Bench.Harness;
using Edge.Sdk.Inference;

namespace Edge.Bench.Benchmarks.Gpu;

/// <summary>The GPU check's measured cases; each runs in its own child process and only where a GPU was detected.</summary>
internal static class GpuCases
{
    /// <summary>Outputs on <paramref name="variant"/> against the CPU provider for the same inputs.</summary>
    public static JsonObject Agreement(string model, string variant, int inputs)
    {
        using var cpu = EdgeSession.Load(GpuModels.PathOf(model), GpuModels.Options("cpu-fp32"));
        using var gpu = EdgeSession.Load(GpuModels.PathOf(model), GpuModels.Options(variant));
        double maxDifference = 0;
        double sumDifference = 0;
        long compared = 0;
        var sameTop1 = 0;
        for (var seed = 0; seed < inputs; seed++)
        {
            var input = GpuModels.Input(cpu, model, seed);
            var expected = GpuModels.Output(cpu);
            var actual = GpuModels.Output(gpu);
            cpu.Run<float, float>(input, expected);
            gpu.Run<float, float>(input, actual);
            for (var i = 0; i < expected.Length; i++)
            {
                var difference = Math.Abs(expected[i] - actual[i]);
                maxDifference = Math.Max(maxDifference, difference);
                sumDifference += difference;
            }

            compared += expected.Length;
            sameTop1 += ArgMax(expected) == ArgMax(actual) ? 1 : 0;
        }

        return new JsonObject
        {
            ["provider"] = gpu.Provider.ToString(),
            ["inputs"] = inputs,
            ["max_abs_difference"] = maxDifference,
            ["mean_abs_difference"] = sumDifference / compared,
            ["same_argmax_of_first_output"] = sameTop1,
        };
    }

    /// <summary>CPU fp32 and <paramref name="variant"/> timed run by run, interleaved, in one process.</summary>
    public static JsonObject Latency(string model, string variant, int runs)
    {
        var folder = Directory.CreateTempSubdirectory("edge-bench-gpu-");
        try
        {
            var gpuModel = variant == "tensorrt-int8" ? GpuModels.QuantizeForTensorRt(model, folder.FullName) : GpuModels.PathOf(model);
            using var cpu = EdgeSession.Load(GpuModels.PathOf(model), GpuModels.Options("cpu-fp32"));
            using var gpu = EdgeSession.Load(gpuModel, GpuModels.Options(variant, Path.Combine(folder.FullName, "engines")));
            var input = GpuModels.Input(cpu, model, 0);
            var cpuOutput = GpuModels.Output(cpu);
            var gpuOutput = GpuModels.Output(gpu);
            var cpuSamples = new double[runs];
            var gpuSamples = new double[runs];
            for (var i = -Math.Max(10, runs / 10); i < runs; i++)
            {
                var started = Stopwatch.GetTimestamp();
                cpu.Run<float, float>(input, cpuOutput);
                var cpuMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                started = Stopwatch.GetTimestamp();
                gpu.Run<float, float>(input, gpuOutput);
                var gpuMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (i >= 0)
                {
                    cpuSamples[i] = cpuMs;
                    gpuSamples[i] = gpuMs;
                }
            }

            var cpuStats = Measure.Summarize(cpuSamples);
            var gpuStats = Measure.Summarize(gpuSamples);
            return new JsonObject
            {
                ["provider"] = gpu.Provider.ToString(),
                ["model_file"] = variant == "tensorrt-int8" ? "int8 QDQ from QuantizePass (s8s8, symmetric, per-channel, 32 calibration photos)" : model,
                ["cpu_fp32"] = cpuStats,
                [variant] = gpuStats,
                ["gpu_over_cpu_p50"] = Math.Round((double)gpuStats["p50_ms"]! / (double)cpuStats["p50_ms"]!, 4),
                ["gpu_over_cpu_min"] = Math.Round((double)gpuStats["min_ms"]! / (double)cpuStats["min_ms"]!, 4),
            };
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>Time to load TensorRT through the SDK with its engine cache in <paramref name="cache"/> (cold: empty).</summary>
    public static JsonObject EngineLoad(string model, string cache)
    {
        var before = Directory.Exists(cache) ? Directory.GetFiles(cache, "*", SearchOption.AllDirectories).Length : 0;
        var started = Stopwatch.GetTimestamp();
        using var session = EdgeSession.Load(GpuModels.PathOf(model), GpuModels.Options("tensorrt-fp16", cache));
        var loadMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        return new JsonObject
        {
            ["provider"] = session.Provider.ToString(),
            ["load_and_first_run_ms"] = Math.Round(loadMs, 1),
            ["cache_files_before"] = before,
            ["cache_files_after"] = Directory.GetFiles(cache, "*", SearchOption.AllDirectories).Length,
        };
    }

    /// <summary>Two threads call a CUDA <see cref="ModelHost"/> without pause while the model is swapped; no call may fail.</summary>
    public static JsonObject HotSwap(int swaps)
    {
        var path = GpuModels.PathOf(GpuModels.SqueezeNet);
        using var host = ModelHost.Load(path, GpuModels.Options("cuda-fp32"));
        using var probe = EdgeSession.Load(path, GpuModels.Options("cpu-fp32"));
        var input = GpuModels.Input(probe, GpuModels.SqueezeNet, 0);
        long calls = 0;
        long failures = 0;
        string? firstFailure = null;
        double slowestMs = 0;
        var gate = new Lock();
        using var stop = new CancellationTokenSource();
        var workers = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            var output = GpuModels.Output(probe);
            while (!stop.IsCancellationRequested)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    host.Run<float, float>(input, output);
                    Interlocked.Increment(ref calls);
                }
#pragma warning disable CA1031 // Every failure is counted and the first one reported; the check is that there are none.
                catch (Exception error)
#pragma warning restore CA1031
                {
                    Interlocked.Increment(ref failures);
                    Interlocked.CompareExchange(ref firstFailure, $"{error.GetType().Name}: {error.Message}", null);
                }

                var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                lock (gate)
                {
                    slowestMs = Math.Max(slowestMs, elapsed);
                }
            }
        })).ToArray();

        var swapMs = new double[swaps];
        for (var i = 0; i < swaps; i++)
        {
            var started = Stopwatch.GetTimestamp();
            host.SwapAsync(path, GpuModels.Options("cuda-fp32")).GetAwaiter().GetResult();
            swapMs[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        stop.Cancel();
        Task.WaitAll(workers);
        return new JsonObject
        {
            ["provider"] = "Cuda",
            ["swaps"] = host.SwapCount,
            ["calls"] = calls,
            ["failed_calls"] = failures,
            ["first_failure"] = firstFailure,
            ["slowest_call_ms"] = Math.Round(slowestMs, 2),
            ["swap_load_ms"] = Measure.Summarize(swapMs),
        };
    }

    private static int ArgMax(float[] values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
        {
            best = values[i] > values[best] ? i : best;
        }

        return best;
    }
}
