using System.Text.Json.Nodes;
using Edge.Onnx;
using Edge.Optimizer.Data;
using Edge.Optimizer.Evaluation;
using Edge.Optimizer.Inspection;
using Edge.Sdk.Inference;
using Edge.Sdk.Processing.Preprocessing;

namespace Edge.Optimizer.Passes.Prune;

/// <summary>What the prune report measures about the original and pruned models: MACs, sizes, latency and accuracy.</summary>
internal static class PruneMeasurements
{
    /// <summary>Multiply-accumulates of Conv, ConvTranspose, Gemm and MatMul from one probe run, or null if the model cannot run.</summary>
    public static long? Macs(OnnxModel model, CancellationToken cancellationToken)
    {
        var probe = ShapeProbe.Run(model, cancellationToken);
        var macs = MacEstimator.Estimate(model.Proto.Graph, probe);
        return probe.Failure is null ? macs.ByOpType.Values.Sum() : null;
    }

    public static async Task<JsonObject> SizesAsync(OnnxModel original, OnnxModel pruned, CancellationToken cancellationToken)
    {
        var before = await ModelSize.MeasureAsync(original, cancellationToken);
        var after = await ModelSize.MeasureAsync(pruned, cancellationToken);
        return new JsonObject
        {
            ["original_bytes"] = before.Bytes,
            ["pruned_bytes"] = after.Bytes,
            ["bytes_ratio"] = (double)after.Bytes / before.Bytes,
            ["original_gzip_bytes"] = before.CompressedBytes,
            ["pruned_gzip_bytes"] = after.CompressedBytes,
            ["gzip_ratio"] = (double)after.CompressedBytes / before.CompressedBytes,
        };
    }

    /// <summary>Original and pruned latency through the SDK, interleaved run by run in one process.</summary>
    public static (JsonObject Report, LatencyStats Original, LatencyStats Pruned) Latency(string originalPath, string prunedPath, int threads, int runs, CancellationToken cancellationToken)
    {
        var (original, pruned, _) = LatencyComparison.Measure(originalPath, prunedPath, CpuSessionOptions.For(threads), warmupRuns: Math.Max(10, runs / 5), runs, cancellationToken);
        var report = new JsonObject
        {
            ["threads"] = threads,
            ["runs"] = runs,
            ["original_p50_ms"] = original.P50Ms,
            ["pruned_p50_ms"] = pruned!.P50Ms,
            ["original_p95_ms"] = original.P95Ms,
            ["pruned_p95_ms"] = pruned.P95Ms,
            ["original_min_ms"] = original.MinMs,
            ["pruned_min_ms"] = pruned.MinMs,
            ["p50_ratio"] = pruned.P50Ms / original.P50Ms,
            ["min_ratio"] = pruned.MinMs / original.MinMs,
        };
        return (report, original, pruned);
    }

    /// <summary>The accuracy metric sensitivity analysis optimizes: top-1 in percent with labels, else top-1 agreement with the original in percent.</summary>
    public static double Score(EvaluationResult result) =>
        100.0 * (result.Top1 ?? result.Top1Agreement ?? throw new InvalidDataException("The evaluation dataset has no labels and no reference to agree with, so accuracy cannot be measured."));

    public static EvaluationResult Evaluate(string modelPath, IDataset dataset, PreprocessSpec? preprocess, string? referencePath, int threads, CancellationToken cancellationToken) =>
        ModelEvaluator.Evaluate(modelPath, dataset, preprocess, referencePath, CpuSessionOptions.For(threads), progress: null, cancellationToken);

    public static JsonObject Accuracy(IDataset dataset, EvaluationResult original, EvaluationResult pruned) => new()
    {
        ["dataset"] = dataset.Spec.ToString(),
        ["samples"] = pruned.Samples,
        ["original_top1"] = original.Top1,
        ["pruned_top1"] = pruned.Top1,
        ["top1_drop_points"] = original.Top1 is { } a && pruned.Top1 is { } b ? 100.0 * (a - b) : null,
        ["top1_agreement_with_original"] = pruned.Top1Agreement,
        ["max_abs_error"] = pruned.MaxAbsoluteError,
        ["note"] = "Accuracy before any recovery: no fine-tuning or distillation has been done yet.",
    };
}
