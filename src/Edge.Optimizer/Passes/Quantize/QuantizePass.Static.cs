using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Edge.Onnx;
using Edge.Optimizer.Data;
using Edge.Optimizer.Passes.Quantize.AccuracyRecovery;
using Edge.Optimizer.Passes.Quantize.Preparation;
using Edge.Optimizer.Passes.Quantize.Static;

namespace Edge.Optimizer.Passes.Quantize;

internal sealed partial class QuantizePass
{
    /// <summary>Layers listed in the report's error table, worst first.</summary>
    private const int ReportedLayers = 25;

    /// <summary>Below this median SQNR the quantized activations no longer track float32 (each 6 dB is one bit).</summary>
    private const double SevereSqnrDecibels = 15;

    private static bool RunStatic(RunState run, CancellationToken cancellationToken)
    {
        var options = run.Options;
        var prepared = options.Preoptimize
            ? ModelPreparer.Preoptimize(run.Input, run.Folder)
            : OnnxModel.FromProto(run.Input.Proto.Clone(), run.Input.ExternalDataDirectory);
        ModelPreparer.PrepareForQdq(prepared);

        var dataset = DatasetFactory.Open(options.Calibration!);
        var started = Stopwatch.GetTimestamp();
        var calibration = run.Context.Track("calibrating", dataset.Count, p =>
            StaticQuantizer.Calibrate(prepared, dataset, run.Spec, options, p, cancellationToken));
        run.Report["calibration"] = new JsonObject
        {
            ["dataset"] = dataset.Spec.ToString(),
            ["samples"] = calibration.Samples,
            ["method"] = options.Method.ToString().ToLowerInvariant(),
            ["tensors"] = calibration.Ranges.Count,
            ["seconds"] = Math.Round(Stopwatch.GetElapsedTime(started).TotalSeconds, 2),
        };

        var result = StaticQuantizer.Quantize(prepared, calibration, options);
        if (result.Plan.Nodes.Count == 0)
        {
            run.Report["quantization"] = PlanReport(result);
            return false;
        }

        IReadOnlyList<LayerError> layers = [];
        if (options.AnalyzeLayers || options.MaxAccuracyDrop is not null)
        {
            var count = Math.Min(options.AnalysisSamples, dataset.Count);
            var analysisSet = DatasetFactory.Open(dataset.Spec with { To = (dataset.Spec.From ?? 0) + count });
            layers = LayerErrorAnalyzer.Analyze(prepared, result.Model, result.QuantizedTensors, analysisSet, run.Spec, options.Threads, cancellationToken);
        }

        if (options.Eval is not null)
        {
            var evaluator = CreateEvaluator(run, cancellationToken);
            if (options.MaxAccuracyDrop is { } target)
            {
                var outcome = AccuracySearch.Run(prepared, calibration, options, result, layers, evaluator, target, m => run.Context.Log.WriteLine(m), cancellationToken);
                result = outcome.Best;
                run.FinalEvaluation = outcome.Evaluation;
                run.Report["search"] = SearchReport(outcome, target, evaluator.DropMetric);
                if (!outcome.TargetMet)
                {
                    run.Warnings.Add(outcome.Explanation);
                }
            }
        }

        if (layers.Count > 0 && run.FinalEvaluation is null)
        {
            var median = layers.Select(l => l.SqnrDecibels).Order().ElementAt(layers.Count / 2);
            if (median < SevereSqnrDecibels)
            {
                // a layer that still tracks float (>= 30 dB) is not the culprit, however much it lost from an exact input
                var worst = layers.Where(l => l.SqnrDecibels < 30).OrderByDescending(l => l.LossDecibels).Take(3).Select(l => $"{l.Node} ({l.OpType}, loses {l.LossDecibels:0.#} dB)");
                run.Warnings.Add(string.Create(CultureInfo.InvariantCulture,
                    $"Quantization error is severe: the median layer SQNR is {median:0.#} dB (8-bit values that track float32 score 30 dB or more), so accuracy may have dropped sharply. Largest losses: {string.Join(", ", worst)}. Measure with --eval and use --max-accuracy-drop, or keep the float32 model."));
            }
        }

        run.Warnings.AddRange(result.Warnings);
        run.Output = result.Model;
        run.Report["quantization"] = PlanReport(result);
        if (layers.Count > 0)
        {
            run.Report["layers"] = new JsonArray([.. layers.Take(ReportedLayers).Select(l => (JsonNode)new JsonObject
            {
                ["tensor"] = l.Tensor,
                ["node"] = l.Node,
                ["op_type"] = l.OpType,
                ["sqnr_db"] = Math.Round(l.SqnrDecibels, 2),
                ["loss_db"] = Math.Round(l.LossDecibels, 2),
                ["cosine"] = Math.Round(l.Cosine, 5),
            })]);
        }

        return true;
    }

    private static CandidateEvaluator CreateEvaluator(RunState run, CancellationToken cancellationToken)
    {
        if (run.Evaluator is not null)
        {
            return run.Evaluator;
        }

        SaveReference(run);
        var dataset = DatasetFactory.Open(run.Options.Eval!);
        var evaluator = new CandidateEvaluator(run.Folder, run.ReferencePath, dataset, run.Spec, run.Options.Threads);
        run.Context.Track("evaluating float32", dataset.Count, p => evaluator.EvaluateBaseline(p, cancellationToken));
        run.Evaluator = evaluator;
        return evaluator;
    }

    private static void SaveReference(RunState run)
    {
        if (!File.Exists(run.ReferencePath))
        {
            OnnxModel.FromProto(run.Input.Proto, run.Input.ExternalDataDirectory).Save(run.ReferencePath);
        }
    }

    private static JsonObject PlanReport(StaticQuantizationResult result) => new()
    {
        ["quantized_nodes"] = result.Plan.Nodes.Count,
        ["quantized_by_op_type"] = new JsonObject(result.Plan.Nodes
            .GroupBy(p => p.Node.OpType)
            .OrderByDescending(g => g.Count())
            .Select(g => KeyValuePair.Create(g.Key, (JsonNode?)g.Count()))),
        ["folded_activations"] = result.Plan.Folds.Count,
        ["saturated_ranges_narrowed"] = result.Plan.NarrowedRanges,
        ["float_nodes"] = new JsonArray([.. result.Plan.FloatNodes.Select(f => (JsonNode)new JsonObject
        {
            ["node"] = f.Name,
            ["op_type"] = f.OpType,
            ["reason"] = f.Reason,
        })]),
    };

    private static JsonObject SearchReport(SearchOutcome outcome, double target, string metric) => new()
    {
        ["target_drop_points"] = target,
        ["metric"] = metric,
        ["met"] = outcome.TargetMet,
        ["explanation"] = outcome.Explanation,
        ["float_layers"] = new JsonArray([.. outcome.FloatLayers.Select(l => (JsonNode)l)]),
        ["steps"] = new JsonArray([.. outcome.Steps.Select(s => (JsonNode)new JsonObject
        {
            ["float_layers"] = string.Join(", ", s.FloatLayers),
            ["drop_points"] = Math.Round(s.DropPoints, 3),
            ["top1"] = s.Top1,
            ["top1_agreement"] = s.Top1Agreement,
        })]),
    };

}
