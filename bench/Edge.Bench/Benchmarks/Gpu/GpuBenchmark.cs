using System.Globalization;
using System.Text.Json.Nodes;
using Edge.Bench.Harness;

namespace Edge.Bench.Benchmarks.Gpu;

/// <summary>
/// The one GPU check (<c>bench/run.sh gpu</c>, built with <c>-p:EdgeGpu=true</c>): on CUDA and TensorRT, SqueezeNet
/// and YOLOX-Nano output agreement with the CPU; fp32, fp16 and int8 (TensorRT) latency against the CPU; TensorRT
/// engine build time cold and warm through the SDK's engine cache; a hot swap under load with no failed call.
/// Without a usable GPU it measures nothing, says so in one line and in the JSON, and succeeds.
/// </summary>
internal sealed class GpuBenchmark : IBenchmark
{
    private static readonly string[] WouldMeasure =
    [
        "SqueezeNet and YOLOX-Nano output agreement with the CPU provider on CUDA and TensorRT (max/mean abs difference, same argmax)",
        "latency against CPU fp32, interleaved run by run: CUDA fp32, TensorRT fp32, TensorRT fp16, TensorRT int8 (QDQ model from our quantizer)",
        "TensorRT engine build time through the SDK's engine cache: cold (empty cache) and warm (second process, same cache)",
        "a hot swap under load: two threads calling a CUDA ModelHost while it swaps the model, counting failed calls",
    ];

    public string Name => "gpu";

    public string Description => "CUDA/TensorRT against the CPU: output agreement, fp32/fp16/int8 latency, TensorRT engine cache cold/warm, hot swap under load (needs an NVIDIA GPU; reports and exits 0 without one)";

    public async Task<JsonObject> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var availability = GpuAvailability.Detect();
        var results = new JsonObject
        {
            ["gpu_found"] = availability.CudaUsable,
            ["tensorrt_found"] = availability.TensorRtUsable,
            ["device"] = availability.Description,
            ["would_measure"] = new JsonArray(WouldMeasure.Select(w => (JsonNode)w).ToArray()),
        };
        if (!availability.CudaUsable)
        {
            Console.Error.WriteLine($"gpu: nothing measured, {availability.Description}; with a GPU this measures output agreement, fp32/fp16/int8 latency against the CPU, TensorRT engine cache cold/warm and a hot swap under load.");
            return results;
        }

        var inputs = context.Quick ? "4" : "16";
        var runs = context.Quick ? "50" : "300";
        var variants = GpuModels.Variants.Where(v => availability.TensorRtUsable || !v.StartsWith("tensorrt", StringComparison.Ordinal)).ToArray();
        var agreement = new JsonObject();
        var latency = new JsonObject();
        foreach (var model in new[] { GpuModels.SqueezeNet, GpuModels.YoloxNano })
        {
            var key = GpuModels.Key(model);
            foreach (var variant in variants.Where(v => v is "cuda-fp32" or "tensorrt-fp32"))
            {
                agreement[$"{key}/{variant}"] = await Case(context, ["agreement", key, variant, inputs], cancellationToken);
            }

            foreach (var variant in variants.Where(v => v != "tensorrt-int8" || model == GpuModels.SqueezeNet))
            {
                latency[$"{key}/{variant}"] = await Case(context, ["latency", key, variant, runs], cancellationToken);
            }
        }

        results["agreement"] = agreement;
        results["latency"] = latency;
        if (availability.TensorRtUsable)
        {
            var cache = Directory.CreateTempSubdirectory("edge-bench-trt-cache-");
            try
            {
                results["tensorrt_engine_cache_yolox_nano_fp16"] = new JsonObject
                {
                    ["cold"] = await Case(context, ["engine", "yolox_nano", cache.FullName], cancellationToken),
                    ["warm"] = await Case(context, ["engine", "yolox_nano", cache.FullName], cancellationToken),
                };
            }
            finally
            {
                cache.Delete(recursive: true);
            }
        }

        results["hot_swap_under_load"] = await Case(context, ["swap", context.Quick ? "3" : "10"], cancellationToken);
        return results;
    }

    public JsonObject RunChild(IReadOnlyList<string> arguments) => arguments[0] switch
    {
        "agreement" => GpuCases.Agreement(GpuModels.ModelOf(arguments[1]), arguments[2], int.Parse(arguments[3], CultureInfo.InvariantCulture)),
        "latency" => GpuCases.Latency(GpuModels.ModelOf(arguments[1]), arguments[2], int.Parse(arguments[3], CultureInfo.InvariantCulture)),
        "engine" => GpuCases.EngineLoad(GpuModels.ModelOf(arguments[1]), arguments[2]),
        "swap" => GpuCases.HotSwap(int.Parse(arguments[1], CultureInfo.InvariantCulture)),
        _ => throw new ArgumentException($"Unknown gpu case '{arguments[0]}'."),
    };

    /// <summary>One case in its own process; a case the device rejects is recorded with its error, not dropped.</summary>
    private async Task<JsonNode> Case(BenchContext context, string[] arguments, CancellationToken cancellationToken)
    {
        Console.Error.WriteLine($"   {string.Join(' ', arguments.Take(3))}");
        try
        {
            return await context.RunChildAsync(this, arguments, cancellationToken);
        }
        catch (InvalidOperationException error)
        {
            return new JsonObject { ["error"] = error.Message };
        }
    }
}
