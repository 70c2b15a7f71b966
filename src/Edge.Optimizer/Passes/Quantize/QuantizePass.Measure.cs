using System.Text.Json.Nodes;
using Edge.Onnx;
using Edge.Optimizer.Evaluation;
using Edge.Optimizer.Pipeline.Measurement;
using Edge.Sdk;
using Edge.Sdk.Inference;
using Microsoft.ML.OnnxRuntime;

namespace Edge.Optimizer.Passes.Quantize;

internal sealed partial class QuantizePass
{
    private const int LatencyWarmupRuns = 10;

    /// <summary>Checks that the result is valid and runs, then measures size, latency and accuracy before and after.</summary>
    private static void Measure(RunState run, CancellationToken cancellationToken)
    {
        var output = run.Output!;
        var issues = output.Validate();
        if (issues.Count > 0)
        {
            throw new InvalidOperationException($"The quantized model fails validation ({issues.Count} issue(s)): {string.Join("; ", issues.Take(3).Select(i => i.Message))}.");
        }

        var quantizedPath = Path.Combine(run.Folder, "quantized.onnx");
        OnnxModel.FromProto(output.Proto, output.ExternalDataDirectory).Save(quantizedPath);
        var before = SerializedBytes(run.Input);
        var after = ModelFigures.FileBytes(quantizedPath);
        run.Report["size"] = new JsonObject { ["before_bytes"] = before, ["after_bytes"] = after, ["ratio"] = Math.Round((double)after / before, 4) };
        run.Report["latency"] = MeasureLatency(run, quantizedPath, cancellationToken);

        if (run.Options.Eval is not null)
        {
            var evaluator = CreateEvaluator(run, cancellationToken);
            var result = run.FinalEvaluation ?? run.Context.Track("evaluating quantized", evaluator.Baseline!.Samples, p => evaluator.Evaluate(output, p, cancellationToken));
            var baseline = evaluator.Baseline!;
            run.Comparison = run.Comparison with { Top1Before = baseline.Top1, Top1After = result.Top1, Agreement = result.Top1Agreement };
            run.Report["accuracy"] = new JsonObject
            {
                ["dataset"] = evaluator.DatasetName,
                ["samples"] = result.Samples,
                ["before"] = new JsonObject { ["top1"] = baseline.Top1, ["top5"] = baseline.Top5 },
                ["after"] = new JsonObject { ["top1"] = result.Top1, ["top5"] = result.Top5 },
                ["top1_agreement"] = result.Top1Agreement,
                ["max_abs_error"] = result.MaxAbsoluteError,
                ["mean_abs_error"] = result.MeanAbsoluteError,
                ["drop_points"] = Math.Round(evaluator.Drop(result), 3),
                ["drop_metric"] = evaluator.DropMetric,
            };
        }
    }

    /// <summary>Both models through the SDK, interleaved run by run so they see the same machine load.</summary>
    private static JsonObject MeasureLatency(RunState run, string quantizedPath, CancellationToken cancellationToken)
    {
        var threads = run.Options.Threads;
        EdgeSessionOptions Options() => new()
        {
            Provider = ExecutionProvider.Cpu,
            WarmupRuns = 0,
            Cpu = new CpuProviderOptions { IntraOpThreads = threads, InterOpThreads = 1 },
        };

        var quantizedError = RunOnce(quantizedPath, threads);
        if (quantizedError is not null)
        {
            SaveReference(run);
            if (RunOnce(run.ReferencePath, threads) is null)
            {
                throw new QuantizationException(
                    $"ONNX Runtime cannot run the quantized model with these options (mode {run.Options.Mode}, activations {run.Options.ActivationType}, weights {run.Options.WeightType}): {quantizedError.Message}",
                    quantizedError);
            }

            return new JsonObject { ["measured"] = false, ["note"] = "the float32 model itself does not run on synthetic inputs (it needs real values), so neither was timed; the quantized model loaded" };
        }

        if (run.Options.LatencyRuns == 0)
        {
            return new JsonObject { ["measured"] = false, ["note"] = "latency runs set to 0; the quantized model was loaded and run once" };
        }

        SaveReference(run);
        if (RunOnce(run.ReferencePath, threads) is not null)
        {
            return new JsonObject { ["measured"] = false, ["note"] = "the float32 model does not run on synthetic inputs, so latency was not compared" };
        }

        var (floatStats, quantizedStats, _) = LatencyComparison.Measure(run.ReferencePath, quantizedPath, Options, LatencyWarmupRuns, run.Options.LatencyRuns, cancellationToken);
        run.Comparison = run.Comparison with { LatencyBefore = floatStats, LatencyAfter = quantizedStats };
        var ratio = quantizedStats!.P50Ms / floatStats.P50Ms;
        if (ratio > 1)
        {
            run.Warnings.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"The {run.Options.Mode.ToString().ToLowerInvariant()} model is slower than float32 here (p50 {quantizedStats.P50Ms:0.###} ms vs {floatStats.P50Ms:0.###} ms at {threads} threads): {(run.Options.Mode == QuantizeMode.Fp16 ? "fp16 pays off on GPUs; this CPU computes it through conversions" : "quantize/dequantize overhead outweighs the integer kernels for this model")}. Keep the float32 model for this target."));
        }

        return new JsonObject
        {
            ["measured"] = true,
            ["threads"] = threads,
            ["runs"] = run.Options.LatencyRuns,
            ["before"] = Stats(floatStats),
            ["after"] = Stats(quantizedStats!),
            ["ratio_p50"] = Math.Round(quantizedStats!.P50Ms / floatStats.P50Ms, 3),
            ["ratio_min"] = Math.Round(quantizedStats.MinMs / floatStats.MinMs, 3),
        };
    }

    /// <summary>Loads and runs the model once on synthetic inputs with bare ONNX Runtime (quiet logging); the failure, or null.</summary>
    private static Exception? RunOnce(string path, int threads)
    {
        try
        {
            using var options = new SessionOptions { IntraOpNumThreads = threads, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL };
            using var session = new InferenceSession(path, options);
            var inputs = SyntheticInputs.Create([.. session.InputNames.Select(n => new TensorInfo(n, session.InputMetadata[n]))]);
            var values = inputs.Select(i => i.ToOrtValue()).ToList();
            try
            {
                using var runOptions = new RunOptions();
                using var outputs = session.Run(runOptions, [.. inputs.Select(i => i.Name)], values, session.OutputNames);
            }
            finally
            {
                values.ForEach(v => v.Dispose());
            }

            return null;
        }
        catch (Exception exception) when (exception is OnnxRuntimeException or InvalidDataException or EdgeException)
        {
            return exception;
        }
    }

    private static JsonObject Stats(LatencyStats stats) => new()
    {
        ["min_ms"] = Math.Round(stats.MinMs, 3),
        ["p50_ms"] = Math.Round(stats.P50Ms, 3),
        ["p95_ms"] = Math.Round(stats.P95Ms, 3),
        ["mean_ms"] = Math.Round(stats.MeanMs, 3),
    };

    /// <summary>What the float32 model takes on disk: the protobuf plus its external tensors, without writing it.</summary>
    private static long SerializedBytes(OnnxModel model) =>
        model.Proto.CalculateSize() + Onnx.Graph.ModelTensors.Enumerate(model.Proto).Where(t => t.ExternalData.Count > 0).Sum(t => Onnx.Graph.TensorData.ElementCount(t) * Math.Max(1, Onnx.Graph.TensorElementTypes.BitsPerElement(t.DataType) / 8));
}
