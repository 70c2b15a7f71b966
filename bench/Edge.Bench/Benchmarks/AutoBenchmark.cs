using System.Globalization;
using System.Text.Json.Nodes;
using Edge.Bench.Harness;
using Edge.Optimizer.Pipeline;
using Edge.Optimizer.Search;

namespace Edge.Bench.Benchmarks;

/// <summary>
/// <c>edge-optimize auto</c> at 2 threads on the local target, one child process per model: the chosen candidate, its
/// p50 against the original's measured side by side in the search, the accuracy drop and agreement, how many
/// candidates were built and the search time. Models the search cannot judge yet are listed with the reason.
/// </summary>
internal sealed class AutoBenchmark : IBenchmark
{
    private const int Threads = 2;

    private const string SqueezeNetSpec = """{"width":224,"height":224,"resize":"shorterSideCrop","shorterSide":256,"interpolation":"bilinear","colorOrder":"bgr","mean":[104,117,123]}""";

    private const string YoloxSpec = """{ "width": 416, "height": 416, "resize": "letterbox", "padValue": 114, "alignment": "topLeft", "colorOrder": "bgr" }""";

    private const string UltraFaceSpec = """{ "width": 320, "height": 240, "colorOrder": "rgb", "mean": [127, 127, 127], "std": [128, 128, 128] }""";

    // Classifiers: within 1 point of top-1 and 95 % agreement. Detectors are judged by box agreement (F1 of same-class
    // matches at IoU 0.5 through the SDK's decoder), allowed 10 points below the original's boxes, at least 90 %.
    private static readonly (string Key, string Model, string Eval, string? Spec, double Drop, double Agreement)[] Cases =
    [
        ("squeezenet", "models/classifiers/squeezenet1.0/squeezenet1.0_fp32_derived_from_fp16.onnx", "images:datasets/imagenet-sample-500@0:500", SqueezeNetSpec, 1, 0.95),
        ("mnist", "models/mnist/mnist.onnx", "mnist:datasets/mnist@0:1100", null, 1, 0.95),
        ("yolox-nano", "models/detectors/yolox_nano/yolox_nano.onnx", "images:datasets/imagenet-sample-500@0:200", YoloxSpec, 10, 0.9),
        ("ultraface-320", "models/detectors/ultraface/version-RFB-320.onnx", "images:datasets/imagenet-sample-500@0:200", UltraFaceSpec, 10, 0.9),
    ];

    public string Name => "auto";

    public string Description => "edge-optimize auto on the local target, 2 threads: chosen candidate, p50 ratio to fp32 side by side, accuracy drop, candidates, search time";

    public async Task<JsonObject> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var results = new JsonObject { ["threads"] = Threads, ["calibration"] = "the first 100 samples of the eval set; accuracy judged on the rest" };
        var models = new JsonObject();
        foreach (var benchCase in Cases)
        {
            Console.Error.WriteLine($"   auto {benchCase.Key}");
            models[benchCase.Key] = await context.RunChildAsync(this, [benchCase.Key, context.Quick ? "30" : "200"], cancellationToken);
        }

        models["mobilenetv2"] = new JsonObject { ["measured"] = false, ["reason"] = "../shared holds only the peer int8 MobileNetV2 (peer-quantized/mobilenetv2-12-int8.onnx), no float32 original to search from" };
        results["models"] = models;
        return results;
    }

    public JsonObject RunChild(IReadOnlyList<string> arguments)
    {
        var benchCase = Cases.Single(c => c.Key == arguments[0]);
        var data = Environment.GetEnvironmentVariable("EDGE_TEST_DATA")!;
        var folder = Directory.CreateTempSubdirectory("edge-bench-auto-");
        try
        {
            string? spec = null;
            if (benchCase.Spec is not null)
            {
                spec = Path.Combine(folder.FullName, "spec.json");
                File.WriteAllText(spec, benchCase.Spec);
            }

            var options = new AutoOptions
            {
                ModelPath = Path.Combine(data, benchCase.Model),
                OutputPath = Path.Combine(folder.FullName, "auto.onnx"),
                Eval = benchCase.Eval.Replace(":datasets/", ":" + Path.Combine(data, "datasets") + "/", StringComparison.Ordinal),
                Preprocess = spec,
                Threads = Threads,
                MaxAccuracyDrop = benchCase.Drop,
                MinAgreement = benchCase.Agreement,
                LatencyRuns = int.Parse(arguments[1], CultureInfo.InvariantCulture),
            };
            var result = new AutoSearch(PipelineRunner.Default, TimeProvider.System).RunAsync(options, PassContext.Silent, CancellationToken.None).GetAwaiter().GetResult();
            return new JsonObject
            {
                ["model"] = benchCase.Model,
                ["chosen"] = result.Chosen.Candidate.Name,
                ["judged_by"] = result.Judged,
                ["max_accuracy_drop_points"] = benchCase.Drop,
                ["min_agreement"] = benchCase.Agreement,
                ["p50_ratio_to_fp32"] = result.Chosen.P50Ratio,
                ["chosen_p50_ms"] = result.Chosen.Latency?.P50Ms,
                ["fp32_p50_ms"] = result.Outcomes[0].Latency?.P50Ms,
                ["drop_points"] = result.Chosen.DropPoints,
                ["agreement"] = result.Chosen.Agreement,
                ["top1"] = result.Chosen.Top1,
                ["fp32_top1"] = result.Outcomes[0].Top1,
                ["candidates_built"] = result.Outcomes.Count(o => o.Status is not (CandidateStatus.Skipped or CandidateStatus.OverBudget)) - 1,
                ["search_seconds"] = Math.Round(result.Seconds, 1),
                ["why"] = result.Why,
                ["judging"] = result.JudgingSet,
                ["latency_runs"] = options.LatencyRuns,
                ["candidates"] = new JsonArray([.. result.Outcomes.Select(o => (JsonNode)new JsonObject
                {
                    ["name"] = o.Candidate.Name,
                    ["status"] = o.Status.ToString(),
                    ["p50_ratio"] = o.P50Ratio,
                    ["drop_points"] = o.DropPoints,
                    ["agreement"] = o.Agreement,
                    ["reason"] = o.Reason,
                })]),
            };
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
